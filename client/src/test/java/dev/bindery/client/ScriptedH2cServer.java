package dev.bindery.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.xml.stream.XMLStreamException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.HTTP2Connection;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.ConnectionStatistics;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * Thread-safe. A fake connection manager on a real Jetty server, for the HTTP/2 transport's
 * tests: its port-0 connector speaks h2c by prior knowledge only (Jetty's
 * {@link HTTP2CServerConnectionFactory}, as Bindery's plain listener does), every POST is queued
 * as an {@link Exchange}, and the test answers it when and how it likes.
 */
final class ScriptedH2cServer implements AutoCloseable {

  static final Duration AWAIT = ScriptedTransport.AWAIT;
  static final String PATH = "/http-bind";

  /** One request the client sent, waiting for the test's answer. */
  record Exchange(String xml, XmlElement body, String connection, HttpVersion version,
      String contentType, long contentLength, Request request, Response response,
      Callback callback) {

    long rid() {
      return Long.parseLong(body.attribute("rid"));
    }

    void answer(String entity) {
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, HttpBoshTransport.CONTENT_TYPE);
      Content.Sink.write(response, true, entity, callback);
    }

    /** Answers with a body in the httpbind namespace: {@code attributes} and {@code payloads}. */
    void answerBody(String attributes, String payloads) {
      answer(ScriptedTransport.responseBody(attributes, payloads));
    }

    void answerEmpty() {
      answerBody("", "");
    }

    void answerStatus(int status) {
      response.setStatus(status);
      Content.Sink.write(response, true, "", callback);
    }

    /**
     * Sends a GOAWAY frame (NO_ERROR) on the connection this request came on: the streams the
     * server has seen may still be answered, the client opens no more.
     */
    void goAway() {
      http2Connection().getSession().close(0, "scripted goaway", Callback.NOOP);
    }

    /**
     * A server going down: a GOAWAY frame, then the socket closes, with this and the
     * connection's other requests unanswered.
     */
    void goAwayAndClose() {
      HTTP2Connection connection = http2Connection();
      connection.getSession().close(0, "scripted close",
          Callback.from(() -> connection.getEndPoint().close()));
    }

    private HTTP2Connection http2Connection() {
      return (HTTP2Connection) request.getConnectionMetaData().getConnection();
    }

    /** The one payload of this request. */
    XmlElement payload() {
      assertThat(body.children()).hasSize(1);
      return body.children().get(0);
    }
  }

  private final BlockingQueue<Exchange> exchanges = new LinkedBlockingQueue<>();
  private final Server server = new Server();
  private final ServerConnector connector;
  private final ConnectionStatistics statistics = new ConnectionStatistics();

  private ScriptedH2cServer(ConnectionFactory factory) throws Exception {
    connector = new ServerConnector(server, factory);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    connector.addBean(statistics);
    server.addConnector(connector);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        Content.Source.asStringAsync(request, StandardCharsets.UTF_8).whenComplete((xml, e) -> {
          if (e != null) {
            callback.failed(e);
            return;
          }
          XmlElement body;
          try {
            body = ResponseParser.parseElement(xml);
          } catch (XMLStreamException parse) {
            callback.failed(parse);
            throw new AssertionError("client sent malformed XML: " + xml, parse);
          }
          exchanges.add(new Exchange(xml, body, request.getConnectionMetaData().getId(),
              request.getConnectionMetaData().getHttpVersion(),
              request.getHeaders().get(HttpHeader.CONTENT_TYPE),
              request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH), request, response,
              callback));
        });
        return true;
      }
    });
    server.start();
  }

  /** A server that allows {@code maxConcurrentStreams} streams at once on a connection. */
  static ScriptedH2cServer h2c(int maxConcurrentStreams) throws Exception {
    HTTP2CServerConnectionFactory h2c = new HTTP2CServerConnectionFactory(new HttpConfiguration());
    h2c.setMaxConcurrentStreams(maxConcurrentStreams);
    return new ScriptedH2cServer(h2c);
  }

  /** A server that speaks HTTP/1.1 only. */
  static ScriptedH2cServer http11() throws Exception {
    return new ScriptedH2cServer(new HttpConnectionFactory());
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + connector.getLocalPort() + PATH);
  }

  /** The next request, waiting up to {@link #AWAIT} for it. */
  Exchange next() throws InterruptedException {
    Exchange exchange = exchanges.poll(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(exchange).as("a request within %s", AWAIT).isNotNull();
    return exchange;
  }

  /** Connections the server accepted so far. */
  long connectionsAccepted() {
    return statistics.getConnectionsTotal();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
