package dev.bindery.server.upstream;

import dev.bindery.protocol.xmpp.Namespaces;
import dev.bindery.protocol.xmpp.Stanza;
import dev.bindery.protocol.xmpp.StreamHeader;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Confined to the channel's event loop. Brings a new connection to the point where the session
 * can use it: opens the stream, secures it with STARTTLS when the server offers it and the domain
 * wants it (RFC 6120 §5), and passes the server's header and first features on only then. Until
 * that moment nothing reaches the session: a failure goes to {@link Outcome#failed} and the
 * connector may try the next address.
 *
 * <pre>
 *   active ─(direct TLS: handshake)─▶ HEADER ──header──▶ FEATURES ──features──┬─▶ DONE
 *                                       ▲                    starttls wanted  │
 *                                       └── handshake ◀── PROCEED ◀───────────┘
 * </pre>
 */
final class StreamNegotiationHandler extends ChannelInboundHandlerAdapter {

  private static final Logger WIRE = LoggerFactory.getLogger("dev.bindery.wire");

  static final String STARTTLS = "<starttls xmlns='" + Namespaces.TLS + "'/>";

  /** Called once, on the channel's loop. */
  interface Outcome {
    /**
     * The stream is ready; the header and features follow down the pipeline if this returns
     * true. False: no longer wanted, the channel is closed.
     */
    boolean ready(ChannelHandlerContext ctx);

    /** Negotiation failed; the channel is being closed. */
    void failed(String reason);
  }

  private enum State { HEADER, FEATURES, PROCEED, HANDSHAKE, DONE, FAILED }

  private final String sid;
  private final StreamHeader header;
  private final TlsMode tls;
  private final boolean directTls;
  private final Function<ChannelHandlerContext, SslHandler> newSslHandler;
  private final XmppStreamDecoder decoder;
  private final long featuresTimeoutMillis;
  private final Outcome outcome;
  private State state = State.HEADER;
  private UpstreamEvent.StreamOpened opened;
  private boolean startTlsOffered;
  private boolean startTlsRequired;
  private boolean secured;
  private ScheduledFuture<?> timeout;

  /**
   * @param tls           the domain's TLS mode
   * @param directTls     true when the pipeline starts with TLS (the SslHandler is in place)
   * @param newSslHandler makes the handler to add after {@code <proceed/>}
   */
  StreamNegotiationHandler(String sid, StreamHeader header, TlsMode tls, boolean directTls,
      Function<ChannelHandlerContext, SslHandler> newSslHandler, XmppStreamDecoder decoder,
      long featuresTimeoutMillis, Outcome outcome) {
    this.sid = sid;
    this.header = header;
    this.tls = tls;
    this.directTls = directTls;
    this.newSslHandler = newSslHandler;
    this.decoder = decoder;
    this.featuresTimeoutMillis = featuresTimeoutMillis;
    this.outcome = outcome;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    timeout = ctx.executor().schedule(() -> fail(ctx, "no stream features within "
        + featuresTimeoutMillis + " ms"), featuresTimeoutMillis, TimeUnit.MILLISECONDS);
    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
    if (directTls && ssl != null) {
      state = State.HANDSHAKE;
      ssl.handshakeFuture().addListener((Future<Channel> f) -> handshaken(ctx, f));
      ctx.read();
    } else {
      sendHeader(ctx);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (state == State.DONE) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (state == State.FAILED) {
      return;
    }
    UpstreamEvent event = (UpstreamEvent) msg;
    if (event instanceof UpstreamEvent.StreamOpened o) {
      opened = o;
      state = State.FEATURES;
    } else if (event instanceof UpstreamEvent.StartTlsOffered s) {
      startTlsOffered = true;
      startTlsRequired = s.required();
    } else if (event instanceof UpstreamEvent.Element e) {
      element(ctx, e.stanza());
    } else if (event instanceof UpstreamEvent.StreamClosed) {
      fail(ctx, "server closed the stream during negotiation");
    }
  }

  private void element(ChannelHandlerContext ctx, Stanza stanza) {
    if (stanza.isStreamError()) {
      // the server refused the stream itself (e.g. host-unknown): the client should see why
      done(ctx, stanza);
    } else if (state == State.FEATURES && stanza.isStreamFeatures()) {
      features(ctx, stanza);
    } else if (state == State.PROCEED && Namespaces.TLS.equals(stanza.namespace())
        && "proceed".equals(stanza.localName())) {
      state = State.HANDSHAKE;
      SslHandler ssl = newSslHandler.apply(ctx);
      ctx.pipeline().addFirst("tls", ssl);
      ssl.handshakeFuture().addListener((Future<Channel> f) -> handshaken(ctx, f));
    } else if (state == State.PROCEED && Namespaces.TLS.equals(stanza.namespace())) {
      fail(ctx, "server refused STARTTLS: <" + stanza.localName() + "/>");
    } else {
      fail(ctx, "unexpected <" + stanza.localName() + "/> before the stream features");
    }
  }

  private void features(ChannelHandlerContext ctx, Stanza features) {
    if (!secured && startTlsOffered && tls != TlsMode.NONE) {
      state = State.PROCEED;
      write(ctx, STARTTLS);
    } else if (!secured && tls == TlsMode.REQUIRED) {
      fail(ctx, "server does not offer STARTTLS and tls is required");
    } else if (!secured && startTlsRequired) {
      fail(ctx, "server requires STARTTLS and tls is none for this domain");
    } else {
      done(ctx, features);
    }
  }

  private void handshaken(ChannelHandlerContext ctx, Future<?> handshake) {
    if (state == State.FAILED) {
      return;
    }
    if (!handshake.isSuccess()) {
      fail(ctx, "TLS handshake failed: " + describe(handshake.cause()));
      return;
    }
    secured = true;
    startTlsOffered = false;
    startTlsRequired = false;
    decoder.reset(); // a new stream over TLS (RFC 6120 §5.4.3.3)
    sendHeader(ctx);
  }

  private void sendHeader(ChannelHandlerContext ctx) {
    state = State.HEADER;
    opened = null;
    write(ctx, header.toXml());
    ctx.read();
  }

  private void done(ChannelHandlerContext ctx, Stanza first) {
    timeout.cancel(false);
    if (!outcome.ready(ctx)) {
      state = State.FAILED;
      ctx.close();
      return;
    }
    state = State.DONE;
    if (opened != null) {
      ctx.fireChannelRead(opened);
    }
    ctx.fireChannelRead(new UpstreamEvent.Element(first));
    ctx.fireChannelReadComplete();
    ctx.pipeline().remove(this);
  }

  private void fail(ChannelHandlerContext ctx, String reason) {
    if (state == State.DONE || state == State.FAILED) {
      return;
    }
    state = State.FAILED;
    if (timeout != null) {
      timeout.cancel(false);
    }
    ctx.close();
    outcome.failed(reason);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (state == State.DONE) {
      ctx.fireChannelReadComplete();
    } else if (state != State.FAILED) {
      ctx.read(); // AUTO_READ is off; the session's backpressure starts once the stream is ready
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (state == State.DONE) {
      ctx.fireChannelInactive();
    } else {
      fail(ctx, "connection closed during negotiation");
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (state == State.DONE) {
      ctx.fireExceptionCaught(cause);
    } else {
      fail(ctx, describe(cause));
    }
  }

  private void write(ChannelHandlerContext ctx, String xml) {
    if (WIRE.isTraceEnabled()) {
      WIRE.trace("sid={} to server: {}", sid, xml);
    }
    ctx.writeAndFlush(ByteBufUtil.writeUtf8(ctx.alloc(), xml))
        .addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
  }

  /** The cause's message, with the root cause's when that says more (e.g. a TLS alert). */
  static String describe(Throwable cause) {
    String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root != cause && root.getMessage() != null && !message.contains(root.getMessage())) {
      return message + ": " + root.getMessage();
    }
    return message;
  }
}
