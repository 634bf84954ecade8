package dev.bindery.server.upstream;

import dev.bindery.protocol.xmpp.StreamHeader;
import dev.bindery.server.metrics.BoshMetrics;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;

/**
 * Thread-safe: immutable. Opens a session's TCP stream to the XMPP server, on the session's own
 * event loop so that every callback runs where the session lives.
 */
public final class UpstreamConnector {

  public static final int DEFAULT_CONNECT_TIMEOUT_MILLIS = 10_000;

  private final InetSocketAddress server;
  private final int connectTimeoutMillis;
  private final int maxStanzaChars;
  private final BoshMetrics metrics;

  public UpstreamConnector(InetSocketAddress server, int connectTimeoutMillis, int maxStanzaChars) {
    this(server, connectTimeoutMillis, maxStanzaChars, BoshMetrics.unbound());
  }

  /** As above, recording connect times and failures in {@code metrics}. */
  public UpstreamConnector(InetSocketAddress server, int connectTimeoutMillis, int maxStanzaChars,
      BoshMetrics metrics) {
    this.server = server;
    this.connectTimeoutMillis = connectTimeoutMillis;
    this.maxStanzaChars = maxStanzaChars;
    this.metrics = metrics;
  }

  /**
   * Connects and, once connected, opens the stream with {@code header}. Failures reach {@code
   * listener} as {@link UpstreamListener#upstreamClosed}.
   */
  public UpstreamStream connect(EventLoop loop, String sid, StreamHeader header,
      UpstreamListener listener) {
    XmppStreamDecoder decoder = new XmppStreamDecoder(maxStanzaChars);
    long started = System.nanoTime();
    ChannelFuture future = new Bootstrap()
        .group(loop)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast("decoder", decoder);
            ch.pipeline().addLast("session", new UpstreamHandler(sid, listener));
          }
        })
        .connect(server);
    Channel channel = future.channel();
    UpstreamStream stream = new UpstreamStream(sid, channel, decoder);
    future.addListener(f -> {
      if (f.isSuccess()) {
        metrics.upstreamConnected(System.nanoTime() - started);
        stream.open(header);
      } else {
        metrics.upstreamConnectFailed(f.cause());
        listener.upstreamClosed("cannot connect to " + server.getHostString() + ":"
            + server.getPort() + ": " + f.cause().getMessage());
      }
    });
    return stream;
  }
}
