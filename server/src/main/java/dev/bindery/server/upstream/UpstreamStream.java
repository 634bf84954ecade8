package dev.bindery.server.upstream;

import dev.bindery.protocol.xmpp.Stanza;
import dev.bindery.protocol.xmpp.StreamHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Confined to the session's event loop. The session's XMPP stream to the server: writes
 * stanzas, restarts and the closing tag on one connection, once {@link UpstreamConnector} has
 * connected and negotiated it. Until then what the client sends waits here.
 *
 * <p>A server that stops reading (stopped, hung, overloaded) leaves what is written in the
 * connection's outbound buffer once the socket's buffers are full. A WebSocket client is then
 * no longer read ({@link #isWritable()}: at most one message goes beyond the buffer's high-water
 * mark); a BOSH client's requests carry payloads regardless, so once more than {@code
 * maxUnsentBytes} beyond the high-water mark wait here, the stream fails like a broken
 * connection (the session ends with {@code remote-connection-failed}) rather than holding more.
 */
public final class UpstreamStream {

  private static final Logger WIRE = LoggerFactory.getLogger("dev.bindery.wire");

  /** How long to wait for the server's {@code </stream:stream>} after ours before closing. */
  static final long CLOSE_GRACE_MILLIS = 5_000;

  /** Most elements held while the stream is not ready before {@link #isWritable()} is false. */
  static final int MAX_EARLY_ELEMENTS = 64;

  private final String sid;
  private final UpstreamListener listener;
  private final long maxUnsentBytes;
  private Channel channel;
  private XmppStreamDecoder decoder;
  /** Elements the client sent before the stream was ready; written once it is. */
  private List<Stanza> early = new ArrayList<>();
  private boolean closing;
  /** True once more than {@code maxUnsentBytes} waited to go out: the stream is failing. */
  private boolean overflowing;
  /** True while reading from the server is stopped for the session's buffer to drain. */
  private boolean paused;

  /**
   * @param maxUnsentBytes bytes written but not yet taken by the server's socket, beyond the
   *                       high-water mark, at which the stream fails
   *                       ({@code upstream.max-buffered-bytes})
   */
  UpstreamStream(String sid, UpstreamListener listener, long maxUnsentBytes) {
    this.sid = sid;
    this.listener = listener;
    this.maxUnsentBytes = maxUnsentBytes;
  }

  /** True once {@link #close()} was called: the stream is over or ending. */
  public boolean closing() {
    return closing;
  }

  /** The negotiated connection is ready: the header was sent and the features came. */
  void ready(Channel channel, XmppStreamDecoder decoder) {
    this.channel = channel;
    this.decoder = decoder;
    if (closing) {
      channel.close();
      return;
    }
    List<Stanza> pending = early;
    early = null;
    send(pending);
    if (channel.isWritable()) {
      listener.upstreamWritable();
    }
  }

  /**
   * True while the stream takes more without holding it in memory: the connection's outbound
   * buffer is under Netty's high-water mark, or, before the stream is ready, few elements wait.
   */
  public boolean isWritable() {
    if (closing) {
      return true; // whatever comes now is dropped
    }
    return channel != null ? channel.isWritable() : early.size() < MAX_EARLY_ELEMENTS;
  }

  /** Writes elements to the server, in order. */
  public void send(List<Stanza> stanzas) {
    if (closing || stanzas.isEmpty()) {
      return;
    }
    if (channel == null) {
      early.addAll(stanzas);
      return;
    }
    StringBuilder xml = new StringBuilder();
    for (Stanza s : stanzas) {
      xml.append(s.xml());
    }
    write(xml.toString());
  }

  /** Sends a new stream header on the same connection; the next bytes begin a new document. */
  public void restart(StreamHeader header) {
    if (closing || channel == null) {
      return;
    }
    decoder.reset();
    write(header.toXml());
  }

  /** Reading stopped because the session's buffer is full ({@code AUTO_READ} is off). */
  void paused() {
    paused = true;
  }

  /** Reads from the server again if reading had stopped for the session's buffer. */
  public void resume() {
    if (paused && channel != null && !closing) {
      paused = false;
      channel.read();
    }
  }

  /** True while reading from the server is stopped for backpressure. */
  public boolean isPaused() {
    return paused;
  }

  /**
   * Closes the stream with {@code </stream:stream>}, then the connection once the server has
   * closed its side or after a grace period, so the server reads everything sent before.
   */
  public void close() {
    if (closing) {
      return;
    }
    closing = true;
    if (channel == null) {
      return; // the connector sees closing() and gives up
    }
    if (!channel.isActive()) {
      channel.close();
      return;
    }
    write(StreamHeader.CLOSE);
    channel.read(); // for the server's </stream:stream>, even if paused
    var timeout = channel.eventLoop().schedule(
        () -> channel.close(), CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    channel.closeFuture().addListener(f -> timeout.cancel(false));
  }

  /**
   * Closes the connection without {@code </stream:stream>}, once everything written before has
   * gone out: the server sees a broken connection and keeps a stream with XEP-0198 resumption
   * for its client to resume elsewhere.
   */
  public void disconnect() {
    if (closing) {
      return;
    }
    closing = true;
    if (channel == null) {
      return; // the connector sees closing() and gives up
    }
    // an empty write completes after every earlier one: then close
    channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }

  private void write(String xml) {
    if (WIRE.isTraceEnabled()) {
      WIRE.trace("sid={} to server: {}", sid, xml);
    }
    ByteBuf buf = ByteBufUtil.writeUtf8(channel.alloc(), xml);
    channel.writeAndFlush(buf).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    ChannelOutboundBuffer unsent = channel.unsafe().outboundBuffer();
    long limit = channel.config().getWriteBufferHighWaterMark() + maxUnsentBytes;
    if (!overflowing && unsent != null && unsent.totalPendingWriteBytes() > limit) {
      overflowing = true;
      String reason = "the server is not reading: " + unsent.totalPendingWriteBytes()
          + " bytes wait to go out, over the limit of " + limit;
      ChannelHandlerContext session = channel.pipeline().context(UpstreamHandler.class);
      if (session != null) {
        // after the session's current step, not within it
        channel.eventLoop().execute(
            () -> ((UpstreamHandler) session.handler()).fail(session, reason));
      }
    }
  }
}
