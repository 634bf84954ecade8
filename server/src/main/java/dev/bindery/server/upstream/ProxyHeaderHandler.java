package dev.bindery.server.upstream;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Confined to the channel's event loop. Writes a PROXY protocol header (v1 or v2) with the HTTP
 * client's address as the connection's first bytes, before TLS if any, then leaves the pipeline
 * together with Netty's {@link HAProxyMessageEncoder}, which must sit right before it.
 */
final class ProxyHeaderHandler extends ChannelInboundHandlerAdapter {

  static final String ENCODER_NAME = "proxy-encoder";

  /**
   * A v1 header that names no client (PROXY protocol §2.1): written as bytes, since Netty's
   * encoder writes a v1 {@code UNKNOWN} message only with addresses, and throws without them.
   */
  static final String V1_UNKNOWN = "PROXY UNKNOWN\r\n";

  private final ProxyProtocol version;
  private final String clientAddress;

  /**
   * @param clientAddress the client's IP address; anything else (null, a host name) sends a
   *                      {@code LOCAL}/{@code UNKNOWN} header, which tells the server nothing
   */
  ProxyHeaderHandler(ProxyProtocol version, String clientAddress) {
    if (version == ProxyProtocol.NONE) {
      throw new IllegalArgumentException("no PROXY protocol version");
    }
    this.version = version;
    this.clientAddress = clientAddress;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    InetSocketAddress server = (InetSocketAddress) ctx.channel().remoteAddress();
    ctx.writeAndFlush(header(server))
        .addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    ctx.pipeline().remove(ENCODER_NAME);
    ctx.pipeline().remove(this);
    ctx.fireChannelActive();
  }

  /**
   * What is written: a {@link HAProxyMessage} for the encoder, or the bytes of {@link
   * #V1_UNKNOWN}, which pass it untouched.
   */
  Object header(InetSocketAddress server) {
    HAProxyMessage message = message(server);
    if (message.protocolVersion() == HAProxyProtocolVersion.V1
        && message.proxiedProtocol() == HAProxyProxiedProtocol.UNKNOWN) {
      message.release();
      return Unpooled.copiedBuffer(V1_UNKNOWN, StandardCharsets.US_ASCII);
    }
    return message;
  }

  /** The header: client address and port 0 (unknown) to the server's address and port. */
  HAProxyMessage message(InetSocketAddress server) {
    HAProxyProtocolVersion v = version == ProxyProtocol.V1
        ? HAProxyProtocolVersion.V1 : HAProxyProtocolVersion.V2;
    String destination = server.getAddress().getHostAddress();
    // canonical form: no brackets, no zone (a v1 header's text has no room for one)
    byte[] client = clientAddress == null
        ? null : NetUtil.createByteArrayFromIpAddressString(clientAddress);
    if (client == null) {
      return v == HAProxyProtocolVersion.V1
          ? new HAProxyMessage(v, HAProxyCommand.PROXY, HAProxyProxiedProtocol.UNKNOWN, null,
              null, 0, 0)
          : new HAProxyMessage(v, HAProxyCommand.LOCAL, HAProxyProxiedProtocol.UNKNOWN, null,
              null, 0, 0);
    }
    boolean client4 = client.length == 4;
    boolean server4 = NetUtil.isValidIpV4Address(destination);
    if (client4 != server4) {
      // one family per header: the destination is informational, so say "any" in the client's
      destination = client4 ? "0.0.0.0" : "::";
    } else if (!client4) {
      destination = NetUtil.bytesToIpAddress(server.getAddress().getAddress()); // no zone
    }
    String source = NetUtil.bytesToIpAddress(client);
    return new HAProxyMessage(v, HAProxyCommand.PROXY,
        client4 ? HAProxyProxiedProtocol.TCP4 : HAProxyProxiedProtocol.TCP6,
        source, destination, 0, server.getPort());
  }
}
