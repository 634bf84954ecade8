package dev.bindery.server.session;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyAttribute;
import dev.bindery.protocol.body.BodyParseException;
import dev.bindery.protocol.session.BoshSession;
import dev.bindery.protocol.session.CreationRequest;
import dev.bindery.protocol.session.SessionLimits;
import dev.bindery.server.metrics.BoshMetrics;
import dev.bindery.server.reload.SessionSweep;
import dev.bindery.server.upstream.CurrentPolicy;
import dev.bindery.server.upstream.Dial;
import dev.bindery.server.upstream.UpstreamConnector;
import dev.bindery.server.upstream.UpstreamPolicy;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thread-safe: no lock on the request path. Finds the live sessions by sid and creates
 * each new session on an event loop of its own for its whole life.
 */
public final class SessionRegistry implements SessionSweep {

  private static final Logger LOG = LoggerFactory.getLogger(SessionRegistry.class);

  private final LiveSessions sessions;
  private final SidGenerator sids;
  private final EventLoopGroup loops;
  private final UpstreamConnector connector;
  private final SessionLimits limits;
  private final CurrentPolicy upstreams;
  private final SessionGate gate;
  private final BoshMetrics metrics;

  /**
   * @param sessions  the live sessions, which this registry adds to and removes from
   * @param upstreams the upstream policy in force, read afresh for every new session and stream
   * @param node      this node's name, which starts every sid it issues; empty for none
   * @param gate      consulted before each session is created (limits, drain)
   */
  public SessionRegistry(LiveSessions sessions, EventLoopGroup loops, UpstreamConnector connector,
      CurrentPolicy upstreams, SessionLimits limits, String node, SessionGate gate,
      BoshMetrics metrics) {
    this.sessions = sessions;
    this.sids = new SidGenerator(node);
    this.loops = loops;
    this.connector = connector;
    this.limits = limits;
    this.upstreams = upstreams;
    this.gate = gate;
    this.metrics = metrics;
  }

  BoshMetrics metrics() {
    return metrics;
  }

  /**
   * Ends every live session: its held request gets {@code condition}, and its server connection
   * closes after everything the client sent before (on {@code system-shutdown} without {@code
   * </stream:stream>}, so that the client can resume the stream elsewhere). Returns at once.
   */
  public void shutdownAll(BindingCondition condition) {
    for (SessionRunner runner : sessions.all()) {
      runner.shutdown(condition);
    }
  }

  /**
   * Ends with {@code host-gone} every live session that {@code policy} no longer serves: one of
   * its open streams goes to a domain no longer served, or to a {@code route} no longer allowed
   * for its domain (XEP-0124 §17.2). A session with several streams ends whole, since a stream
   * can only be closed alone by the client (§16.5). Waits up to {@code patience} for the
   * sessions' event loops to decide, and returns how many sessions it ended.
   */
  @Override
  public int endSessionsNotServedBy(UpstreamPolicy policy, Duration patience) {
    List<Future<Boolean>> decisions = new ArrayList<>();
    for (SessionRunner runner : sessions.all()) {
      decisions.add(runner.endUnlessServed(policy));
    }
    return SessionSweep.ended(decisions, patience);
  }

  /** The upstream policy in force. */
  UpstreamPolicy policy() {
    return upstreams.get();
  }

  /** Creates a session for a request without {@code sid} (XEP-0124 §7.1), or refuses it. */
  public void create(Body body, Exchange exchange) {
    boolean legacy = !body.has(BodyAttribute.VER);
    String content = body.attribute(BodyAttribute.CONTENT).orElse(null);
    CreationRequest creation;
    try {
      creation = CreationRequest.from(body);
    } catch (BodyParseException e) {
      LOG.info("client={} session refused: {}", exchange.clientAddress(), e.getMessage());
      exchange.respond(Body.terminate(e.condition()), legacy, content);
      return;
    }
    // decided before anything is resolved or dialed: no open relay (XEP-0124 §7.1 'route')
    UpstreamPolicy policy = upstreams.get();
    UpstreamPolicy.Decision decision = policy.decide(creation.to(), creation.route());
    if (decision instanceof UpstreamPolicy.Decision.Refused refused) {
      LOG.info("client={} session refused: {}: {}", exchange.clientAddress(),
          refused.condition(), refused.reason());
      exchange.respond(Body.terminate(refused.condition()), legacy, content);
      return;
    }
    Body refusal = gate.refuse(exchange.clientAddress());
    if (refusal != null) {
      LOG.info("client={} session refused: {}", exchange.clientAddress(),
          refusal.condition().map(BindingCondition::value).orElse("refused"));
      exchange.respond(refusal, legacy, content);
      return;
    }
    UpstreamPolicy.Decision.Allowed allowed = (UpstreamPolicy.Decision.Allowed) decision;
    String domain = allowed.domain().domain();
    String sid = sids.next();
    EventLoop loop = loops.next();
    Dial first = new Dial(allowed.domain(), allowed.route(), exchange.clientAddress());
    StreamTargets targets = new StreamTargets(upstreams, first);
    SessionRunner runner = new SessionRunner(
        new BoshSession(sid, creation, domain, limits, targets), loop, connector, this,
        exchange.clientAddress(), targets, policy.limits());
    sessions.add(runner);
    metrics.sessionCreated();
    LOG.info("sid={} client={} session created to={} wait={} hold={} ver={}", sid,
        exchange.clientAddress(), domain, creation.waitSeconds(), creation.hold(), creation.ver());
    loop.execute(() -> runner.start(exchange));
  }

  /** The live session with this sid, or null. */
  public SessionRunner find(String sid) {
    return sessions.get(sid);
  }

  /**
   * Whether {@code sid} was issued by another node: the load balancer routed a request to the
   * wrong node, or its node is gone.
   */
  public boolean foreign(String sid) {
    return sids.foreign(sid);
  }

  /** Number of live sessions. */
  public int size() {
    return sessions.size();
  }

  void remove(SessionRunner runner) {
    sessions.remove(runner);
  }

}
