package dev.bindery.server.upstream;

import dev.bindery.protocol.xmpp.Stanza;
import dev.bindery.protocol.xmpp.StreamHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Confined to the session's event loop. The session's XMPP stream to the server: writes the
 * stream header, stanzas and the closing tag on one TCP connection.
 */
public final class UpstreamStream {

  private static final Logger WIRE = LoggerFactory.getLogger("dev.bindery.wire");

  /** How long to wait for the server's {@code </stream:stream>} after ours before closing. */
  static final long CLOSE_GRACE_MILLIS = 5_000;

  private final String sid;
  private final Channel channel;
  private final XmppStreamDecoder decoder;
  /** Elements the client sent before the connection was up; written once it is. */
  private List<Stanza> early = new ArrayList<>();
  private boolean open;
  private boolean closing;

  UpstreamStream(String sid, Channel channel, XmppStreamDecoder decoder) {
    this.sid = sid;
    this.channel = channel;
    this.decoder = decoder;
  }

  void open(StreamHeader header) {
    if (closing) {
      channel.close();
      return;
    }
    open = true;
    write(header.toXml());
    List<Stanza> pending = early;
    early = null;
    send(pending);
  }

  /** Writes elements to the server, in order. */
  public void send(List<Stanza> stanzas) {
    if (closing || stanzas.isEmpty()) {
      return;
    }
    if (!open) {
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
    if (closing) {
      return;
    }
    decoder.reset();
    write(header.toXml());
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
    if (!open || !channel.isActive()) {
      channel.close();
      return;
    }
    write(StreamHeader.CLOSE);
    var timeout = channel.eventLoop().schedule(
        () -> channel.close(), CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    channel.closeFuture().addListener(f -> timeout.cancel(false));
  }

  private void write(String xml) {
    if (WIRE.isTraceEnabled()) {
      WIRE.trace("sid={} to server: {}", sid, xml);
    }
    ByteBuf buf = ByteBufUtil.writeUtf8(channel.alloc(), xml);
    channel.writeAndFlush(buf).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
  }
}
