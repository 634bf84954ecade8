package dev.bindery.server.session;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.session.Action;
import dev.bindery.protocol.session.BoshSession;
import dev.bindery.protocol.session.Event;
import dev.bindery.protocol.session.Timer;
import dev.bindery.protocol.xmpp.Stanza;
import dev.bindery.server.upstream.UpstreamConnector;
import dev.bindery.server.upstream.UpstreamLimits;
import dev.bindery.server.upstream.UpstreamListener;
import dev.bindery.server.upstream.UpstreamPolicy;
import dev.bindery.server.upstream.UpstreamStream;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Confined to the session's event loop, except {@link #submit}, which any thread may call. Feeds
 * a {@link BoshSession} its events and carries out its actions: answers held HTTP requests,
 * drives the session's upstream streams and keeps the timers.
 *
 * <p>Backpressure: the bytes from the server that the client has not collected yet are counted;
 * at {@link dev.bindery.server.upstream.UpstreamLimits#maxBufferedBytes()} the upstream streams
 * stop reading (TCP pushes back on the server) until a response takes them.
 */
public final class SessionRunner {

  private static final Logger LOG = LoggerFactory.getLogger(SessionRunner.class);

  private final BoshSession session;
  private final EventLoop loop;
  private final UpstreamConnector connector;
  private final SessionRegistry registry;
  private final String clientAddress;
  private final StreamTargets targets;
  private final int maxBufferedBytes;
  private final int maxClientStanzaChars;
  private final Map<Long, Exchange> exchanges = new HashMap<>();
  private final SessionTimers timers;
  private final Apply apply = new Apply();
  /** The session's streams to the server, by index (XEP-0124 §16). */
  private final List<UpstreamStream> upstreams = new ArrayList<>();
  private long nextRequestId;
  private boolean started;
  private boolean ended;
  /**
   * UTF-8 bytes of server elements not yet taken by a response: the backpressure measure, and
   * this session's share of the buffered-bytes gauge.
   */
  private long bufferedBytes;
  /** Arrival of the request being handled, for relay latency; 0 outside {@link #submit}. */
  private long arrivalNanos;
  /** When the oldest server data not yet carried to the client was read; 0 if none. */
  private long unsentSinceNanos;

  /**
   * @param targets where the session's streams go; also the session's {@link
   *                dev.bindery.protocol.session.StreamPolicy}
   * @param limits  the upstream limits in force when the session was created, kept for its life
   */
  SessionRunner(BoshSession session, EventLoop loop, UpstreamConnector connector,
      SessionRegistry registry, String clientAddress, StreamTargets targets,
      UpstreamLimits limits) {
    this.session = session;
    this.loop = loop;
    this.timers = new SessionTimers(loop, SessionRunner::now, this::fire);
    this.connector = connector;
    this.registry = registry;
    this.clientAddress = clientAddress;
    this.targets = targets;
    this.maxBufferedBytes = limits.maxBufferedBytes();
    this.maxClientStanzaChars = limits.maxClientStanzaChars();
  }

  /** Immutable. What the session holds for its client, and whether upstream reading stopped. */
  record BufferState(long bytes, int stanzas, boolean paused) {}

  /** The buffer's state, read on the loop; any thread. */
  io.netty.util.concurrent.Future<BufferState> bufferState() {
    return loop.submit(() -> new BufferState(bufferedBytes, session.bufferedCount(),
        upstreams.stream().anyMatch(UpstreamStream::isPaused)));
  }

  public String sid() {
    return session.sid();
  }

  /** Starts the session with its creation request. Call on the loop. */
  void start(Exchange creation) {
    long id = nextRequestId++;
    exchanges.put(id, creation);
    run(() -> session.start(id, creation.secure(), now()));
    started = true;
    // a reload after the creation was decided, whose sweep passed this session before it started
    endIfGone(registry.policy());
  }

  /** Hands a request to the session; returns at once. Any thread. */
  public void submit(Body body, Exchange exchange) {
    loop.execute(() -> {
      if (ended) {
        // found in the registry just before the session ended and left it: the session is
        // gone, as for an unknown sid, and its safety net has already run
        exchange.respond(Body.terminate(BindingCondition.ITEM_NOT_FOUND), session.legacy(),
            session.contentType());
        return;
      }
      if (tooLarge(body, exchange)) {
        return;
      }
      long id = nextRequestId++;
      exchanges.put(id, exchange);
      LOG.debug("sid={} rid={} request", session.sid(), body.rid().orElse(-1));
      arrivalNanos = exchange.arrivalNanos();
      try {
        run(() -> session.on(new Event.RequestArrived(id, body, exchange.secure(), now())));
      } finally {
        arrivalNanos = 0;
      }
    });
  }

  /**
   * True when the body holds an element over the client stanza limit; the session has then been
   * ended with policy-violation, on this request too.
   */
  private boolean tooLarge(Body body, Exchange exchange) {
    for (Stanza s : body.payloads()) {
      if (s.xml().length() > maxClientStanzaChars) {
        LOG.info("sid={} client={} element of {} chars over the limit of {}: policy-violation",
            session.sid(), clientAddress, s.xml().length(), maxClientStanzaChars);
        run(() -> session.on(new Event.Shutdown(BindingCondition.POLICY_VIOLATION, now())));
        // a terminating session answers this request with the condition and relays nothing
        long id = nextRequestId++;
        exchanges.put(id, exchange);
        run(() -> session.on(new Event.RequestArrived(id, body, exchange.secure(), now())));
        return true;
      }
    }
    return false;
  }

  /** Ends the session with {@code condition} (e.g. system-shutdown). Any thread. */
  public void shutdown(BindingCondition condition) {
    loop.execute(() -> run(() -> session.on(new Event.Shutdown(condition, now()))));
  }

  /**
   * Ends the session with {@code host-gone} (XEP-0124 §17.2) if {@code policy} no longer serves
   * the domain of one of its open streams, or no longer allows the {@code route} it went to; the
   * future says whether it did. Any thread. A session not started yet is left to {@link #start},
   * which checks the policy in force then.
   */
  io.netty.util.concurrent.Future<Boolean> endUnlessServed(UpstreamPolicy policy) {
    return loop.submit(() -> started && endIfGone(policy));
  }

  private boolean endIfGone(UpstreamPolicy policy) {
    String gone = ended ? null : targets.goneUnder(policy,
        i -> i >= upstreams.size() || !upstreams.get(i).closing());
    if (gone == null) {
      return false;
    }
    LOG.info("sid={} client={} {}: ending the session with host-gone", session.sid(),
        clientAddress, gone);
    run(() -> session.on(new Event.Shutdown(BindingCondition.HOST_GONE, now())));
    return true;
  }

  /** Feeds the session and carries out what it asks; a bug ends the session, not the server. */
  private void run(Supplier<List<Action>> step) {
    if (ended) {
      return;
    }
    List<Action> actions;
    try {
      actions = step.get();
    } catch (RuntimeException e) {
      LOG.error("sid={} client={} internal error; ending the session", session.sid(),
          clientAddress, e);
      internalError();
      return;
    }
    apply(actions);
  }

  private void apply(List<Action> actions) {
    for (Action action : actions) {
      action.applyTo(apply);
    }
  }

  /** What each kind of action does, on the session's loop. */
  private final class Apply implements Action.Handler {

    @Override
    public void openUpstream(Action.OpenUpstream o) {
      upstreams.add(connector.connect(loop, session.sid(),
          targets.dial(o.stream(), o.header().to()), o.header(), new StreamListener(o.stream())));
    }

    @Override
    public void sendUpstream(Action.SendUpstream s) {
      upstream(s.stream()).send(s.stanzas());
      registry.metrics().relayedToServer(s.stanzas(), arrivalNanos);
    }

    @Override
    public void restartUpstream(Action.RestartUpstream r) {
      upstream(r.stream()).restart(r.header());
    }

    @Override
    public void closeUpstream(Action.CloseUpstream c) {
      if (c.stream() < upstreams.size()) {
        upstreams.get(c.stream()).close();
      }
    }

    @Override
    public void disconnectUpstream(Action.DisconnectUpstream d) {
      if (d.stream() < upstreams.size()) {
        upstreams.get(d.stream()).disconnect();
      }
    }

    @Override
    public void respond(Action.Respond r) {
      SessionRunner.this.respond(r);
    }

    @Override
    public void drop(Action.Drop d) {
      Exchange exchange = exchanges.remove(d.requestId());
      if (exchange != null) {
        exchange.drop();
      }
    }

    @Override
    public void schedule(Action.Schedule s) {
      timers.schedule(s.timer(), s.at());
    }

    @Override
    public void cancel(Action.Cancel c) {
      timers.cancel(c.timer());
    }

    @Override
    public void endSession(Action.EndSession e) {
      end(e.condition());
    }
  }

  private UpstreamStream upstream(int index) {
    if (index >= upstreams.size()) {
      throw new IllegalStateException("no upstream stream " + index + " (open: "
          + upstreams.size() + ")");
    }
    return upstreams.get(index);
  }

  private void respond(Action.Respond r) {
    Exchange exchange = exchanges.remove(r.requestId());
    if (exchange == null) {
      LOG.warn("sid={} no request {} to answer", session.sid(), r.requestId());
      return;
    }
    List<Stanza> payloads = r.body().payloads();
    long sent = payloads.isEmpty() ? 0
        : registry.metrics().relayedToClient(payloads, unsentSinceNanos);
    exchange.respond(r.body(), session.legacy(), session.contentType());
    if (sent > 0 && bufferedBytes > 0) {
      // an empty session buffer settles any drift (payloads the server did not send, e.g. errors)
      long left = session.bufferedCount() == 0 ? 0 : Math.max(0, bufferedBytes - sent);
      registry.metrics().unbuffered(bufferedBytes - left);
      bufferedBytes = left;
      unsentSinceNanos = bufferedBytes > 0 ? System.nanoTime() : 0;
      if (bufferedBytes < maxBufferedBytes) {
        upstreams.forEach(UpstreamStream::resume);
      }
    }
  }

  private void fire(Timer timer) {
    run(() -> session.on(new Event.TimerFired(timer, now())));
  }

  private void internalError() {
    upstreams.forEach(UpstreamStream::close);
    Body error = Body.terminate(BindingCondition.INTERNAL_SERVER_ERROR);
    for (Exchange left : exchanges.values()) {
      left.respond(error, session.legacy(), session.contentType());
    }
    exchanges.clear();
    end(BindingCondition.INTERNAL_SERVER_ERROR);
  }

  private void end(BindingCondition condition) {
    ended = true;
    timers.cancelAll();
    registry.remove(this);
    // nothing may stay suspended: the session answered what it knew of; this is a safety net
    for (Exchange left : exchanges.values()) {
      left.respond(Body.terminate(BindingCondition.ITEM_NOT_FOUND),
          session.legacy(), session.contentType());
    }
    exchanges.clear();
    registry.metrics().unbuffered(bufferedBytes);
    bufferedBytes = 0;
    registry.metrics().sessionEnded(condition);
    LOG.info("sid={} client={} session ended{}", session.sid(), clientAddress,
        condition == null ? "" : ": " + condition);
  }

  /** Monotonic milliseconds: the session's clock. */
  private static long now() {
    return System.nanoTime() / 1_000_000L;
  }

  @Override
  public String toString() {
    return "SessionRunner{" + session + "}";
  }

  /** Confined to the session's event loop. Events of one upstream stream, tagged with its index. */
  private final class StreamListener implements UpstreamListener {
    private final int stream;

    StreamListener(int stream) {
      this.stream = stream;
    }

    @Override
    public void upstreamOpened(String streamId, String from, String version) {
      LOG.debug("sid={} stream={} upstream opened id={}", session.sid(), stream, streamId);
      run(() -> session.on(new Event.UpstreamOpened(stream, streamId, from, version, now())));
    }

    @Override
    public void upstreamReceived(List<Stanza> stanzas) {
      bufferedBytes += registry.metrics().receivedFromServer(stanzas);
      if (unsentSinceNanos == 0) {
        unsentSinceNanos = System.nanoTime();
      }
      run(() -> session.on(new Event.UpstreamReceived(stream, stanzas, now())));
    }

    @Override
    public void upstreamStreamError(List<Stanza> before, Stanza error) {
      LOG.info("sid={} client={} server sent a stream error: {}", session.sid(), clientAddress,
          error.xml());
      run(() -> session.on(new Event.UpstreamStreamError(stream, before, error, now())));
    }

    @Override
    public void upstreamViolation(String detail) {
      run(() -> session.on(new Event.UpstreamViolation(stream, detail, now())));
    }

    @Override
    public boolean acceptsMore() {
      return !ended && bufferedBytes < maxBufferedBytes;
    }

    @Override
    public void upstreamClosed(String reason) {
      if (!ended) {
        LOG.info("sid={} client={} upstream closed: {}", session.sid(), clientAddress, reason);
      }
      run(() -> session.on(new Event.UpstreamClosed(stream, reason, now())));
    }
  }
}
