package dev.bindery.server.upstream;

import dev.bindery.server.metrics.BoshMetrics;
import dev.bindery.protocol.xmpp.StreamHeader;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thread-safe: its settings are one immutable value, replaced whole by {@link #reconfigure}.
 * Opens a session's streams to XMPP servers on the session's own event loop, so every callback
 * runs where the session lives: finds the server (fixed address, allowed {@code route}, or DNS
 * SRV), connects to each candidate address in turn, sends the PROXY header if configured, secures
 * the stream (direct TLS or STARTTLS) and hands it over once the server's features came.
 */
public final class UpstreamConnector implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(UpstreamConnector.class);

  /** Most addresses tried for one stream, over all SRV targets. */
  static final int MAX_ATTEMPTS = 8;

  /**
   * One resolver per list of name servers ever configured: a stream being opened keeps using the
   * one it started with, so none is closed before {@link #close}.
   */
  private final Map<List<InetSocketAddress>, UpstreamResolver> resolvers =
      new ConcurrentHashMap<>();
  private final BoshMetrics metrics;
  private volatile Settings settings;

  /**
   * Loads every configured trust store now: a bad one fails here, at start.
   *
   * @param metrics where connect times and failures are recorded
   */
  public UpstreamConnector(UpstreamPolicy policy, BoshMetrics metrics) {
    this.metrics = metrics;
    this.settings = settings(policy);
  }

  /**
   * Streams opened from now on use {@code policy}'s limits, name servers and trust stores, the
   * trust stores read afresh so that a replaced CA file takes effect; streams already opening or
   * open keep what they started with. A bad trust store fails here and changes nothing.
   */
  public void reconfigure(UpstreamPolicy policy) {
    this.settings = settings(policy);
  }

  private Settings settings(UpstreamPolicy policy) {
    TlsContexts tls = new TlsContexts();
    for (DomainRoute d : policy.domains()) {
      if (d.tls() != TlsMode.NONE) {
        tls.preload(d.trustStore());
      }
    }
    return new Settings(policy.limits(),
        resolvers.computeIfAbsent(policy.nameServers(), UpstreamResolver::new), tls);
  }

  /**
   * Starts opening a stream with {@code header} and returns it at once; what the session sends
   * meanwhile waits in it. A failure reaches {@code listener} as {@link
   * UpstreamListener#upstreamClosed} once every candidate address has failed.
   */
  public UpstreamStream connect(EventLoop loop, String sid, Dial dial, StreamHeader header,
      UpstreamListener listener) {
    UpstreamStream stream = new UpstreamStream(sid, listener,
        settings.limits().maxBufferedBytes());
    new Attempt(loop, sid, dial, header, listener, stream).start();
    return stream;
  }

  @Override
  public void close() {
    resolvers.values().forEach(UpstreamResolver::close);
  }

  /** Immutable. What a stream is opened with: the settings in force when it started. */
  private record Settings(UpstreamLimits limits, UpstreamResolver resolver, TlsContexts tls) {}

  /** Immutable. A place to try: a host and port, and whether TLS starts at once. */
  private record Candidate(Endpoint endpoint, boolean directTls) {}

  /** Confined to the session's event loop. One stream's way through its candidates. */
  private final class Attempt {
    private final EventLoop loop;
    private final String sid;
    private final Dial dial;
    private final DomainRoute domain;
    private final StreamHeader header;
    private final UpstreamListener listener;
    private final UpstreamStream stream;
    private final UpstreamLimits limits;
    private final UpstreamResolver resolver;
    private final TlsContexts tls;
    private final List<String> failures = new ArrayList<>();
    private List<Candidate> candidates = List.of();
    private int tries;

    Attempt(EventLoop loop, String sid, Dial dial, StreamHeader header, UpstreamListener listener,
        UpstreamStream stream) {
      this.loop = loop;
      this.sid = sid;
      this.dial = dial;
      this.domain = dial.domain();
      this.header = header;
      this.listener = listener;
      this.stream = stream;
      Settings s = settings;
      this.limits = s.limits();
      this.resolver = s.resolver();
      this.tls = s.tls();
    }

    void start() {
      boolean direct = domain.tls() == TlsMode.DIRECT;
      Endpoint fixed = dial.route() != null ? dial.route() : domain.fixed();
      if (fixed != null) {
        candidates = List.of(new Candidate(fixed, direct));
        tryCandidate(0);
        return;
      }
      boolean startTls = domain.tls() != TlsMode.DIRECT;
      boolean directTls = domain.tls() != TlsMode.NONE;
      resolver.srv(loop, domain.domain(), startTls, directTls).addListener(
          (Future<List<SrvRecord>> f) -> {
            List<SrvRecord> records = f.getNow();
            List<Candidate> found = new ArrayList<>();
            for (SrvRecord r : records) {
              if (!r.noService()) {
                found.add(new Candidate(new Endpoint(r.target(), r.port()), r.directTls()));
              }
            }
            if (records.isEmpty() && !direct) {
              // RFC 6120 §3.2.2: no SRV records, so the domain itself on the default port
              found.add(new Candidate(
                  new Endpoint(domain.domain(), DomainRoute.DEFAULT_CLIENT_PORT), false));
            } else if (found.isEmpty()) {
              failures.add(records.isEmpty() ? "no _xmpps-client._tcp SRV records"
                  : "SRV says there is no XMPP service");
            }
            LOG.debug("sid={} {} SRV candidates: {}", sid, domain.domain(), found);
            candidates = found;
            tryCandidate(0);
          });
    }

    private void tryCandidate(int index) {
      if (stream.closing()) {
        return;
      }
      if (index >= candidates.size() || tries >= MAX_ATTEMPTS) {
        giveUp();
        return;
      }
      Candidate c = candidates.get(index);
      resolver.addresses(loop, c.endpoint().host()).addListener(
          (Future<List<InetAddress>> f) -> {
            if (!f.isSuccess()) {
              failures.add(c.endpoint().host() + ": " + StreamNegotiationHandler.describe(
                  f.cause()));
              tryCandidate(index + 1);
              return;
            }
            List<InetAddress> allowed = new ArrayList<>();
            for (InetAddress a : f.getNow()) {
              if (domain.allowPrivateAddresses() || !PrivateAddresses.isPrivate(a)) {
                allowed.add(a);
              } else {
                failures.add(c.endpoint().host() + ": " + a.getHostAddress()
                    + " is a private address (allow-private-addresses is false)");
              }
            }
            tryAddress(index, allowed, 0);
          });
    }

    private void tryAddress(int index, List<InetAddress> addresses, int next) {
      if (stream.closing()) {
        return;
      }
      if (next >= addresses.size() || tries >= MAX_ATTEMPTS) {
        tryCandidate(index + 1);
        return;
      }
      tries++;
      Candidate c = candidates.get(index);
      InetSocketAddress address = new InetSocketAddress(addresses.get(next), c.endpoint().port());
      dialOne(address, c, reason -> {
        failures.add(c.endpoint() + " (" + address.getAddress().getHostAddress() + "): "
            + reason);
        tryAddress(index, addresses, next + 1);
      });
    }

    private void dialOne(InetSocketAddress address, Candidate c, Consumer<String> failed) {
      XmppStreamDecoder decoder = new XmppStreamDecoder(limits.maxServerStanzaChars());
      StreamNegotiationHandler.Outcome outcome = new StreamNegotiationHandler.Outcome() {
        @Override
        public boolean ready(ChannelHandlerContext ctx) {
          if (stream.closing()) {
            return false;
          }
          LOG.info("sid={} upstream to {} at {} ready ({})", sid, domain.domain(), address,
              ctx.pipeline().get("tls") != null ? "TLS" : "plain TCP");
          stream.ready(ctx.channel(), decoder);
          return true;
        }

        @Override
        public void failed(String reason) {
          LOG.info("sid={} upstream to {} at {} failed: {}", sid, domain.domain(), address,
              reason);
          failed.accept(reason);
        }
      };
      long started = System.nanoTime();
      ChannelFuture future = new Bootstrap()
          .group(loop)
          .channel(Transport.socketChannel(loop))
          .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, limits.connectTimeoutMillis())
          .option(ChannelOption.TCP_NODELAY, true)
          .option(ChannelOption.SO_KEEPALIVE, true)
          .option(ChannelOption.AUTO_READ, false)
          .handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ChannelPipeline p = ch.pipeline();
              if (domain.proxyProtocol() != ProxyProtocol.NONE) {
                p.addLast(ProxyHeaderHandler.ENCODER_NAME, HAProxyMessageEncoder.INSTANCE);
                p.addLast("proxy", new ProxyHeaderHandler(domain.proxyProtocol(),
                    dial.clientAddress()));
              }
              if (c.directTls()) {
                p.addLast("tls", tls.newHandler(ch.alloc(), domain.trustStore(),
                    domain.domain(), address.getPort(), limits.tlsHandshakeTimeoutMillis()));
              }
              p.addLast("decoder", decoder);
              p.addLast("negotiate", new StreamNegotiationHandler(sid, header, domain.tls(),
                  c.directTls(), ctx -> tls.newHandler(ctx.alloc(), domain.trustStore(),
                      domain.domain(), address.getPort(), limits.tlsHandshakeTimeoutMillis()),
                  decoder, limits.featuresTimeoutMillis(), outcome));
              p.addLast("session", new UpstreamHandler(sid, listener, stream));
            }
          })
          .connect(address);
      future.addListener(f -> {
        if (f.isSuccess()) {
          metrics.upstreamConnected(System.nanoTime() - started);
        } else {
          metrics.upstreamConnectFailed(f.cause());
          outcome.failed("connect: " + StreamNegotiationHandler.describe(f.cause()));
        }
      });
    }

    private void giveUp() {
      String reason = "cannot reach " + domain.domain() + ": "
          + (failures.isEmpty() ? "no address to try" : String.join("; ", failures));
      LOG.warn("sid={} {}", sid, reason);
      listener.upstreamClosed(reason);
    }
  }
}
