package dev.bindery.server.upstream;

import dev.bindery.protocol.xmpp.Stanza;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Confined to the channel's event loop. Turns {@link UpstreamEvent}s into calls on the session's
 * {@link UpstreamListener}, batching the elements of one read so that they reach the client in
 * one response. Reading is explicit ({@code AUTO_READ} off): the next read is asked for only
 * while the session {@linkplain UpstreamListener#acceptsMore() has room}.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(UpstreamHandler.class);

  private final String sid;
  private final UpstreamListener listener;
  private final UpstreamStream stream;
  private final List<Stanza> batch = new ArrayList<>();
  private boolean closed;

  UpstreamHandler(String sid, UpstreamListener listener, UpstreamStream stream) {
    this.sid = sid;
    this.listener = listener;
    this.stream = stream;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (closed) {
      return;
    }
    UpstreamEvent event = (UpstreamEvent) msg;
    if (event instanceof UpstreamEvent.Element e) {
      if (e.stanza().isStreamError()) {
        List<Stanza> before = List.copyOf(batch);
        batch.clear();
        closed = true;
        listener.upstreamStreamError(before, e.stanza());
        ctx.close();
      } else {
        batch.add(e.stanza());
      }
    } else if (event instanceof UpstreamEvent.StreamOpened o) {
      flushBatch();
      listener.upstreamOpened(o.id(), o.from(), o.version());
    } else if (event instanceof UpstreamEvent.StreamClosed) {
      flushBatch();
      closeWith(ctx, UpstreamListener.STREAM_CLOSED_BY_SERVER);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    flushBatch();
    if (closed) {
      return;
    }
    if (listener.acceptsMore()) {
      ctx.read();
    } else {
      stream.paused();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (!closed && ctx.channel().isWritable()) {
      listener.upstreamWritable();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    flushBatch();
    closeWith(ctx, "connection closed by server");
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (closed) {
      return; // e.g. the writes still pending when the stream failed: already reported
    }
    String detail = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    flushBatch();
    if (cause instanceof DecoderException && !closed) {
      LOG.warn("sid={} server broke the stream: {}", sid, detail);
      closed = true;
      listener.upstreamViolation(detail);
      ctx.close();
      return;
    }
    LOG.warn("sid={} upstream failed: {}", sid, detail);
    closeWith(ctx, detail);
  }

  /**
   * Ends the stream from this side, as if the connection broke: the listener hears {@code
   * reason} (once) and the connection closes without more being written.
   */
  void fail(ChannelHandlerContext ctx, String reason) {
    if (!closed) {
      LOG.warn("sid={} upstream failed: {}", sid, reason);
    }
    flushBatch();
    closeWith(ctx, reason);
  }

  private void flushBatch() {
    if (!batch.isEmpty() && !closed) {
      List<Stanza> stanzas = List.copyOf(batch);
      batch.clear();
      listener.upstreamReceived(stanzas);
    }
  }

  private void closeWith(ChannelHandlerContext ctx, String reason) {
    if (!closed) {
      closed = true;
      listener.upstreamClosed(reason);
    }
    ctx.close();
  }
}
