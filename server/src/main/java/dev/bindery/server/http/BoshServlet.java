package dev.bindery.server.http;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyParseException;
import dev.bindery.protocol.body.BodyParser;
import dev.bindery.server.metrics.BoshMetrics;
import dev.bindery.server.session.SessionRegistry;
import dev.bindery.server.session.SessionRunner;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thread-safe: stateless apart from its immutable collaborators. The {@code /http-bind} endpoint.
 * Every POST is suspended at once; its body is read without blocking, parsed on the container
 * thread, and handed to its session's event loop. No thread waits for a held request, and no
 * answer is written with a blocking write ({@link AsyncAnswer}).
 */
public final class BoshServlet extends HttpServlet {

  private static final Logger LOG = LoggerFactory.getLogger(BoshServlet.class);
  private static final Logger WIRE = LoggerFactory.getLogger("dev.bindery.wire");

  private static final byte[] INFO = ("This is Bindery's XMPP over BOSH endpoint"
      + " (XEP-0124, XEP-0206). Point your XMPP client here; it takes POST requests.\n")
      .getBytes(StandardCharsets.UTF_8);

  private final transient BodyParser parser;
  private final transient SessionRegistry registry;
  private final transient Cors cors;
  private final long asyncTimeoutMillis;
  private final transient ClientAddresses clientAddresses;
  private final transient BoshMetrics metrics;

  /**
   * @param asyncTimeoutMillis a safety net above the longest {@code wait}: a request the session
   *                           somehow never answered gets an empty body then
   * @param clientAddresses    how the client's address is found (trusted proxies' headers)
   * @param metrics            where request metrics are recorded
   */
  public BoshServlet(BodyParser parser, SessionRegistry registry, List<String> allowedOrigins,
      long asyncTimeoutMillis, ClientAddresses clientAddresses, BoshMetrics metrics) {
    this.parser = parser;
    this.registry = registry;
    this.cors = new Cors(allowedOrigins);
    this.asyncTimeoutMillis = asyncTimeoutMillis;
    this.clientAddresses = clientAddresses;
    this.metrics = metrics;
  }

  @Override
  protected void doOptions(HttpServletRequest request, HttpServletResponse response) {
    cors.addHeaders(request, response);
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentLength(0);
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) {
    cors.addHeaders(request, response);
    // asynchronous like every answer here: a client that does not read must not hold the thread
    AsyncAnswer.send(request.startAsync(), HttpServletResponse.SC_OK, "text/plain; charset=utf-8",
        null, null, INFO, clientAddresses.of(request));
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    cors.addHeaders(request, response);
    metrics.requestProtocol(request.getProtocol());
    AsyncContext async = request.startAsync();
    async.setTimeout(asyncTimeoutMillis);
    ServletExchange exchange = new ServletExchange(async, clientAddresses.of(request), clientAddresses.secure(request),
        request.getHeader("Accept-Encoding"), metrics);
    String contentEncoding = request.getHeader("Content-Encoding");
    async.addListener(new SafetyNet(exchange));
    int max = parser.limits().maxBytes();
    long declared = request.getContentLengthLong();
    if (declared > max) {
      tooLarge(exchange, declared);
      return;
    }
    request.getInputStream().setReadListener(new RequestBodyReader(request.getInputStream(),
        declared, max, new RequestBodyReader.Sink() {
          @Override
          public void body(byte[] bytes, int length) {
            if (contentEncoding == null) {
              onBody(exchange, bytes, length);
              return;
            }
            byte[] inflated;
            try {
              inflated = ContentCoding.decode(bytes, length, contentEncoding, max);
            } catch (ContentCoding.TooLarge e) {
              BoshServlet.this.tooLarge(exchange, e.length);
              return;
            } catch (IOException e) {
              LOG.debug("client={} undecodable body: {}", exchange.clientAddress(), e.toString());
              exchange.respond(Body.terminate(BindingCondition.BAD_REQUEST), false, null);
              return;
            }
            onBody(exchange, inflated, inflated.length);
          }

          @Override
          public void tooLarge(long length) {
            BoshServlet.this.tooLarge(exchange, length);
          }

          @Override
          public void failed(Throwable cause) {
            LOG.debug("client={} request not read: {}", exchange.clientAddress(), cause.toString());
            exchange.complete(HttpServletResponse.SC_BAD_REQUEST, "text/plain", new byte[0]);
          }
        }));
  }

  private void onBody(ServletExchange exchange, byte[] bytes, int length) {
    metrics.requestRead(length);
    if (WIRE.isTraceEnabled()) {
      WIRE.trace("client={} request: {}", exchange.clientAddress(),
          new String(bytes, 0, length, StandardCharsets.UTF_8));
    }
    Body body;
    try {
      body = parser.parse(bytes, 0, length);
    } catch (BodyParseException e) {
      LOG.debug("client={} bad body: {}", exchange.clientAddress(), e.getMessage());
      exchange.respond(Body.terminate(e.condition()), false, null);
      return;
    }
    String sid = body.sid().orElse(null);
    if (sid == null) {
      registry.create(body, exchange);
      return;
    }
    SessionRunner runner = registry.find(sid);
    if (runner == null) {
      // §14.3: unknown and expired sessions get the same answer; never a new session
      if (registry.foreign(sid)) {
        metrics.foreignSid();
        LOG.debug("client={} sid={} of another node", exchange.clientAddress(), sid);
      } else {
        LOG.debug("client={} unknown sid={}", exchange.clientAddress(), sid);
      }
      exchange.respond(Body.terminate(BindingCondition.ITEM_NOT_FOUND), false, null);
      return;
    }
    runner.submit(body, exchange);
  }

  private void tooLarge(ServletExchange exchange, long length) {
    metrics.requestRead(length);
    LOG.debug("client={} body too large: {} bytes", exchange.clientAddress(), length);
    exchange.respond(Body.terminate(BindingCondition.POLICY_VIOLATION), false, null);
  }


  /** Answers a request that outlived every timer, or whose connection failed. */
  private static final class SafetyNet implements AsyncListener {
    private final ServletExchange exchange;

    SafetyNet(ServletExchange exchange) {
      this.exchange = exchange;
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      if (!exchange.answered()) {
        LOG.warn("client={} request outlived its wait; answering empty", exchange.clientAddress());
        exchange.respond(Body.empty(), false, null);
      }
    }

    @Override
    public void onError(AsyncEvent event) {
      LOG.debug("client={} request failed: {}", exchange.clientAddress(),
          String.valueOf(event.getThrowable()));
      exchange.abandon();
    }

    @Override
    public void onComplete(AsyncEvent event) {}

    @Override
    public void onStartAsync(AsyncEvent event) {}
  }
}
