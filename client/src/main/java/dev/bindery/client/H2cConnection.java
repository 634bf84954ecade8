package dev.bindery.client;

import dev.bindery.client.H2cBoshTransport.Exchange;
import dev.bindery.client.H2cBoshTransport.Lane;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Confined to its lane's event loop. One h2c connection of an {@link H2cBoshTransport} lane: the
 * client's connection preface as soon as the socket connects (RFC 9113 §3.3), then one stream per
 * BOSH request, as many at once as the server's SETTINGS_MAX_CONCURRENT_STREAMS allows.
 *
 * <pre>
 *   STARTING --server's SETTINGS--&gt; OPEN --GOAWAY--&gt; GOING_AWAY --last stream ends--&gt; CLOSED
 *      |                               \--------------- socket closes ----------------/
 *      \-- refused, or closed before SETTINGS --&gt; CLOSED (the lane's waiting requests fail)
 * </pre>
 */
final class H2cConnection {

  private static final Logger LOG = LoggerFactory.getLogger(H2cConnection.class);

  enum State { STARTING, OPEN, GOING_AWAY, CLOSED }

  private final Lane lane;
  private final Factory factory;
  private State state = State.STARTING;
  private Channel channel;
  private Http2FrameCodec codec;
  /** Streams opened and not yet closed, as this side counts them. */
  private int streams;

  private H2cConnection(Lane lane, Factory factory) {
    this.lane = lane;
    this.factory = factory;
  }

  /** Connecting, or waiting for the server's first SETTINGS frame. */
  boolean isStarting() {
    return state == State.STARTING;
  }

  /** Open, and below the server's limit of concurrent streams. */
  boolean hasRoom() {
    return state == State.OPEN && streams < codec.connection().local().maxActiveStreams();
  }

  /** Sends {@code exchange} as a new stream; only when {@link #hasRoom()}. */
  void open(Exchange exchange) {
    if (!hasRoom()) {
      throw new IllegalStateException("no room for a stream: " + state + ", " + streams);
    }
    streams++;
    new Http2StreamChannelBootstrap(channel).handler(new ChannelInitializer<Http2StreamChannel>() {
      @Override
      protected void initChannel(Http2StreamChannel ch) {
        ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false),
            new HttpObjectAggregator(NettyBoshTransport.MAX_RESPONSE_BYTES),
            new StreamHandler(exchange));
      }
    }).open().addListener(opened -> {
      if (!opened.isSuccess()) {
        streamClosed();
        exchange.unprocessed = true;
        lane.ended(exchange, new IOException("cannot open a stream: " + opened.cause(),
            opened.cause()));
        return;
      }
      Http2StreamChannel stream = (Http2StreamChannel) opened.getNow();
      stream.closeFuture().addListener(closed -> streamClosed());
      if (exchange.done) {
        stream.close();
        return;
      }
      exchange.stream = stream;
      stream.writeAndFlush(request(stream, exchange.body, exchange.session.forwardedFor))
          .addListener((ChannelFutureListener) written -> {
            if (!written.isSuccess()) {
              exchange.unprocessed = true;
              written.channel().close();
            }
          });
    });
  }

  /** Connects; the client's preface follows as soon as the socket is up. */
  void connect() {
    InetSocketAddress source = factory.nextSource();
    Bootstrap b = factory.bootstrap.clone(lane.loop).handler(new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        codec = Http2FrameCodecBuilder.forClient()
            .initialSettings(Http2Settings.defaultSettings().pushEnabled(false))
            .build();
        ch.pipeline().addLast(codec, new Http2MultiplexHandler(PushRefusedHandler.INSTANCE),
            new ConnectionHandler());
      }
    });
    ChannelFuture connecting = source == null
        ? b.connect(factory.remote) : b.connect(factory.remote, source);
    channel = connecting.channel();
    connecting.addListener((ChannelFutureListener) connected -> {
      if (!connected.isSuccess()) {
        Throwable cause = connected.cause();
        state = State.CLOSED;
        lane.failed(this, cause instanceof IOException io ? io
            : new IOException("connect failed: " + cause, cause));
        return;
      }
      factory.observer.onConnectionOpened();
    });
  }

  /** Sends GOAWAY and closes the socket (Netty's codec does both). */
  void close() {
    if (channel != null) {
      channel.close();
    }
  }

  private FullHttpRequest request(Channel stream, String body, String forwardedFor) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
        factory.path, stream.alloc().buffer(bytes.length).writeBytes(bytes));
    // The codec makes the pseudo-headers of these: :method, :path, :scheme, and :authority from
    // host. The whole body is one DATA frame, with END_STREAM.
    request.headers()
        .set(HttpHeaderNames.HOST, factory.authority)
        .set(HttpHeaderNames.CONTENT_TYPE, HttpBoshTransport.CONTENT_TYPE)
        .set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    if (forwardedFor != null) {
      request.headers().set("x-forwarded-for", forwardedFor);
    }
    return request;
  }

  private void streamClosed() {
    streams--;
    if (state == State.GOING_AWAY && streams == 0) {
      channel.close();
    }
    lane.dispatch();
  }

  private void settingsReceived() {
    int limit = codec.connection().local().maxActiveStreams();
    if (state == State.STARTING) {
      if (limit == 0) {
        // Another connection would be told the same: the lane's requests fail instead.
        state = State.CLOSED;
        channel.close();
        lane.failed(this, new IOException(
            "the server allows no streams (SETTINGS_MAX_CONCURRENT_STREAMS 0)"));
        return;
      }
      state = State.OPEN;
      LOG.debug("{} open, the server allows {} streams at once", channel, limit);
    }
    lane.dispatch();
  }

  private void goAwayReceived(Http2GoAwayFrame goAway) {
    LOG.debug("{} GOAWAY last-stream-id={} error={}", channel, goAway.lastStreamId(),
        goAway.errorCode());
    State before = state;
    if (before == State.CLOSED || before == State.GOING_AWAY) {
      return;
    }
    state = State.GOING_AWAY;
    if (before == State.STARTING) {
      lane.failed(this, new IOException("GOAWAY before any stream, error " + goAway.errorCode()));
    } else {
      lane.gone(this);
    }
    if (streams == 0) {
      channel.close();
    }
  }

  private void channelClosed() {
    State before = state;
    state = State.CLOSED;
    if (before == State.STARTING) {
      lane.failed(this, new IOException("connection closed before the server's SETTINGS frame"
          + " (is " + factory.endpoint + " an h2c endpoint?)"));
    } else if (before == State.OPEN) {
      lane.gone(this);
    }
  }

  /** Thread-safe. Connects the connections of all lanes. */
  static final class Factory {
    final URI endpoint;
    final String authority;
    final String path;
    private final InetSocketAddress remote;
    private final List<InetSocketAddress> sources;
    private final Bootstrap bootstrap;
    private final EventLoopTransport.Observer observer;
    private final AtomicInteger nextSource = new AtomicInteger();

    Factory(URI endpoint, List<InetSocketAddress> sources, Bootstrap bootstrap,
        EventLoopTransport.Observer observer) {
      this.endpoint = endpoint;
      int port = endpoint.getPort() == -1 ? 80 : endpoint.getPort();
      this.remote = new InetSocketAddress(endpoint.getHost(), port);
      this.authority = endpoint.getHost() + (endpoint.getPort() == -1 ? "" : ":" + port);
      this.path = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty()
          ? "/" : endpoint.getRawPath();
      this.sources = List.copyOf(sources);
      this.observer = observer;
      this.bootstrap = bootstrap.clone()
          .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, NettyBoshTransport.CONNECT_TIMEOUT_MILLIS)
          .option(ChannelOption.TCP_NODELAY, true);
    }

    /** The local address the next connection binds to, round robin; null for any. */
    private InetSocketAddress nextSource() {
      return sources.isEmpty()
          ? null : sources.get(Math.floorMod(nextSource.getAndIncrement(), sources.size()));
    }

    /** On the lane's loop: a connection not yet connected, {@link State#STARTING}. */
    H2cConnection newConnection(Lane lane) {
      return new H2cConnection(lane, this);
    }
  }

  /** Confined to the connection's loop. SETTINGS, GOAWAY and the end of the connection. */
  private final class ConnectionHandler extends ChannelInboundHandlerAdapter {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof Http2SettingsFrame) {
          settingsReceived();
        } else if (msg instanceof Http2GoAwayFrame goAway) {
          goAwayReceived(goAway);
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      channelClosed();
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.debug("{} failed: {}", ctx.channel(), cause.toString());
      ctx.close();
    }
  }

  /** Confined to the stream's loop. Hands the response, or how the stream ended, to the lane. */
  private final class StreamHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
    private final Exchange exchange;
    private IOException failure;

    StreamHandler(Exchange exchange) {
      this.exchange = exchange;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
      lane.answered(exchange, response.status().code(),
          response.content().toString(StandardCharsets.UTF_8));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      try {
        if (evt instanceof Http2GoAwayFrame goAway) {
          // Above the GOAWAY's last stream id: the server did not process it (RFC 9113 §6.8).
          exchange.unprocessed = true;
          failure = new IOException("GOAWAY (last stream " + goAway.lastStreamId()
              + ") left the stream unprocessed");
        } else if (evt instanceof Http2ResetFrame reset) {
          exchange.unprocessed = reset.errorCode() == Http2Error.REFUSED_STREAM.code();
          Http2Error error = Http2Error.valueOf(reset.errorCode());
          failure = new IOException("stream reset by the server: "
              + (error == null ? reset.errorCode() : error));
        }
      } finally {
        ReferenceCountUtil.release(evt);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      IOException cause = failure;
      if (cause == null) {
        cause = new IOException(ctx.channel().parent().isActive()
            ? "stream closed before the response" : "connection closed by the server");
      }
      lane.ended(exchange, cause);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (failure == null) {
        failure = cause instanceof IOException io ? io
            : new IOException("HTTP/2 exchange failed: " + cause, cause);
      }
      ctx.close();
    }
  }

  /** Thread-safe: stateless. Server push is disabled; a pushed stream would be reset. */
  @ChannelHandler.Sharable
  private static final class PushRefusedHandler extends ChannelInboundHandlerAdapter {
    static final PushRefusedHandler INSTANCE = new PushRefusedHandler();

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      ctx.close();
    }
  }
}
