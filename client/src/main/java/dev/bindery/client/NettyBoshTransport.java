package dev.bindery.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread-safe: the factory is shared by all sessions; each {@link Session} it makes is confined
 * to one event loop. An HTTP/1.1 client on Netty for thousands of BOSH sessions at once.
 *
 * <p>Like a browser tab, each session has its own keep-alive connections (at most
 * {@code hold + 1} in use, two with {@code hold=1}) and sends one request at a time on each; no
 * thread waits for a response. Client sockets are spread over several local source addresses
 * (127.0.0.2, 127.0.0.3, ... all route on Linux loopback), because tens of thousands of
 * connections to one server port exceed one address's ephemeral port range.
 */
public final class NettyBoshTransport implements EventLoopTransport {

  /** Largest response entity accepted. */
  static final int MAX_RESPONSE_BYTES = 1 << 20;
  static final int CONNECT_TIMEOUT_MILLIS = 10_000;

  private static final AttributeKey<Pending> PENDING = AttributeKey.valueOf("bosh.pending");

  private final URI endpoint;
  private final InetSocketAddress remote;
  private final String hostHeader;
  private final String path;
  private final List<InetSocketAddress> sources;
  private final Bootstrap bootstrap;
  private final Observer observer;
  private final AtomicInteger nextSource = new AtomicInteger();

  /**
   * A transport to {@code endpoint} ({@code http://host:port/path}) whose connections bind to
   * {@code sourceAddresses} in turn (none: any); {@code bootstrap} gives the event loop group and
   * channel type.
   */
  public NettyBoshTransport(URI endpoint, List<String> sourceAddresses, Bootstrap bootstrap,
      Observer observer) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    if (!"http".equalsIgnoreCase(endpoint.getScheme()) || endpoint.getHost() == null) {
      throw new IllegalArgumentException(
          "invalid BOSH URL: " + endpoint + " (expected: http://host:port/path)");
    }
    int port = endpoint.getPort() == -1 ? 80 : endpoint.getPort();
    this.remote = new InetSocketAddress(endpoint.getHost(), port);
    this.hostHeader = endpoint.getHost() + (endpoint.getPort() == -1 ? "" : ":" + port);
    this.path = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty()
        ? "/" : endpoint.getRawPath();
    this.sources = new ArrayList<>();
    for (String source : sourceAddresses) {
      sources.add(new InetSocketAddress(source, 0));
    }
    this.observer = Objects.requireNonNull(observer, "observer");
    this.bootstrap = bootstrap.clone()
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpClientCodec(),
                new HttpObjectAggregator(MAX_RESPONSE_BYTES), new ResponseHandler());
          }
        });
  }

  URI endpoint() {
    return endpoint;
  }

  @Override
  public Session newSession(EventLoop loop) {
    return new Session(loop);
  }

  @Override
  public String httpVersion() {
    return "1.1";
  }

  /** Nothing to do: each session closes its own connections. */
  @Override
  public void close() {}

  /** One request on the wire, waiting for its response. */
  private static final class Pending {
    final CompletableFuture<String> result;
    final String body;
    final long startNanos;
    final Session session;
    final Duration timeoutAfter;
    ScheduledFuture<?> timeout;
    /** Sent on a kept-alive connection that had served a request before. */
    boolean reused;
    boolean retried;

    Pending(CompletableFuture<String> result, String body, long startNanos, Session session,
        Duration timeoutAfter) {
      this.result = result;
      this.body = body;
      this.startNanos = startNanos;
      this.session = session;
      this.timeoutAfter = timeoutAfter;
    }
  }

  /** Confined to its event loop. The connections of one simulated browser. */
  final class Session extends LoopSession {
    private final ArrayDeque<Channel> idle = new ArrayDeque<>(2);
    private final List<Channel> open = new ArrayList<>(2);
    private boolean closed;

    private Session(EventLoop loop) {
      super(loop);
    }

    /** Closes the connections; a request still on one of them fails. */
    @Override
    protected void closeNow() {
      closed = true;
      idle.clear();
      for (Channel channel : List.copyOf(open)) {
        channel.close();
      }
      open.clear();
    }

    @Override
    protected void start(String body, Duration timeout, CompletableFuture<String> result) {
      if (closed) {
        result.completeExceptionally(new IOException("transport closed"));
        return;
      }
      send(new Pending(result, body, System.nanoTime(), this, timeout));
    }

    /**
     * Like a browser, sends a request again, once, on a new connection when a kept-alive one
     * turns out to have been closed by the server before any of the response arrived.
     */
    void retryOnNewConnection(Pending pending) {
      pending.retried = true;
      pending.reused = false;
      connect(pending);
    }

    private void send(Pending pending) {
      if (closed) {
        pending.result.completeExceptionally(new IOException("transport closed"));
        return;
      }
      Channel channel;
      while ((channel = idle.poll()) != null) {
        if (channel.isActive()) {
          pending.reused = true;
          write(channel, pending, pending.timeoutAfter);
          return;
        }
      }
      connect(pending);
    }

    private void connect(Pending pending) {
      CompletableFuture<String> result = pending.result;
      InetSocketAddress source = sources.isEmpty()
          ? null : sources.get(Math.floorMod(nextSource.getAndIncrement(), sources.size()));
      Bootstrap b = bootstrap.clone(loop());
      (source == null ? b.connect(remote) : b.connect(remote, source))
          .addListener((ChannelFutureListener) connected -> {
            if (!connected.isSuccess()) {
              Throwable cause = connected.cause();
              result.completeExceptionally(cause instanceof IOException ? cause
                  : new IOException("connect failed: " + cause, cause));
              return;
            }
            Channel ch = connected.channel();
            if (closed) {
              ch.close();
              result.completeExceptionally(new IOException("transport closed"));
              return;
            }
            observer.onConnectionOpened();
            open.add(ch);
            ch.closeFuture().addListener(f -> {
              open.remove(ch);
              idle.remove(ch);
            });
            write(ch, pending, pending.timeoutAfter);
          });
    }

    private void write(Channel channel, Pending pending, Duration timeout) {
      byte[] bytes = pending.body.getBytes(StandardCharsets.UTF_8);
      FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
          path, channel.alloc().buffer(bytes.length).writeBytes(bytes));
      request.headers()
          .set(HttpHeaderNames.HOST, hostHeader)
          .set(HttpHeaderNames.CONTENT_TYPE, HttpBoshTransport.CONTENT_TYPE)
          .set(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
          .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      channel.attr(PENDING).set(pending);
      pending.timeout = loop().schedule(() -> {
        if (channel.attr(PENDING).compareAndSet(pending, null)) {
          pending.result.completeExceptionally(
              new IOException("no response within " + timeout.toSeconds() + " s"));
          channel.close();
        }
      }, timeout.toNanos(), TimeUnit.NANOSECONDS);
      channel.writeAndFlush(request).addListener((ChannelFutureListener) written -> {
        if (!written.isSuccess()) {
          written.channel().close();
        }
      });
    }

    private void completed(Channel channel, Pending pending, FullHttpResponse response) {
      pending.timeout.cancel(false);
      observer.onRoundTrip(pending.body, System.nanoTime() - pending.startNanos);
      int status = response.status().code();
      String entity = content(response.content());
      if (HttpUtil.isKeepAlive(response) && !closed) {
        idle.push(channel);
      } else {
        channel.close();
      }
      if (status != 200) {
        pending.result.completeExceptionally(new BoshException(BoshException.Kind.HTTP_STATUS,
            Integer.toString(status), "HTTP " + status + " from " + endpoint));
      } else {
        pending.result.complete(entity);
      }
    }
  }

  private static String content(ByteBuf content) {
    return content.toString(StandardCharsets.UTF_8);
  }

  /** Confined to the channel's event loop. Matches each response to the request in flight. */
  private static final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
      Pending pending = ctx.channel().attr(PENDING).getAndSet(null);
      if (pending == null) {
        ctx.close();
        return;
      }
      pending.session.completed(ctx.channel(), pending, response);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      Pending pending = ctx.channel().attr(PENDING).get();
      if (pending != null && pending.reused && !pending.retried
          && ctx.channel().attr(PENDING).compareAndSet(pending, null)) {
        pending.timeout.cancel(false);
        pending.session.retryOnNewConnection(pending);
        return;
      }
      fail(ctx, new IOException("connection closed by the server"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      fail(ctx, cause instanceof IOException ? cause
          : new IOException("HTTP exchange failed: " + cause, cause));
      ctx.close();
    }

    private static void fail(ChannelHandlerContext ctx, Throwable cause) {
      Pending pending = ctx.channel().attr(PENDING).getAndSet(null);
      if (pending != null) {
        pending.timeout.cancel(false);
        pending.result.completeExceptionally(cause);
      }
    }
  }
}
