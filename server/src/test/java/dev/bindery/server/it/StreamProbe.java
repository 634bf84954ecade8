package dev.bindery.server.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Stateless. Tells when a starting XMPP server is ready: its client-to-server port accepts a
 * connection and answers a stream header for the domain with stream features (RFC 6120 §4.3.2).
 */
final class StreamProbe {

  static final String STREAMS_NS = "http://etherx.jabber.org/streams";

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration RETRY_PAUSE = Duration.ofMillis(100);

  private StreamProbe() {}

  /**
   * Probes until the server answers with stream features. Fails when {@code process} exits or
   * {@code timeout} passes; the message names the last failure.
   */
  static void awaitFeatures(String host, int port, String domain, ChildProcess process,
      Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        probe(host, port, domain);
        return;
      } catch (IOException | XMLStreamException e) {
        if (process.awaitExit(RETRY_PAUSE)) {
          throw new IllegalStateException(process + " exited with " + process.exitValue()
              + " before " + host + ":" + port + " answered: " + e);
        }
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException(host + ":" + port + " did not answer a stream header"
              + " for " + domain + " within " + timeout + ": " + e);
        }
      }
    }
  }

  /** Waits until {@code port} accepts a TCP connection, e.g. an HTTP listener. */
  static void awaitAccepting(String host, int port, ChildProcess process, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(host, port), (int) CONNECT_TIMEOUT.toMillis());
        return;
      } catch (IOException e) {
        if (process.awaitExit(RETRY_PAUSE)) {
          throw new IllegalStateException(process + " exited with " + process.exitValue()
              + " before " + host + ":" + port + " accepted: " + e);
        }
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException(host + ":" + port + " did not accept within "
              + timeout + ": " + e);
        }
      }
    }
  }

  private static void probe(String host, int port, String domain)
      throws IOException, XMLStreamException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), (int) CONNECT_TIMEOUT.toMillis());
      socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(("<?xml version='1.0'?><stream:stream to='" + domain + "' version='1.0'"
          + " xmlns='jabber:client' xmlns:stream='" + STREAMS_NS + "'>")
          .getBytes(StandardCharsets.UTF_8));
      out.flush();
      awaitFeaturesElement(socket.getInputStream());
      out.write("</stream:stream>".getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
  }

  private static void awaitFeaturesElement(InputStream in) throws IOException, XMLStreamException {
    XMLStreamReader reader = XMLInputFactory.newFactory().createXMLStreamReader(in);
    try {
      while (reader.hasNext()) {
        if (reader.next() == XMLStreamConstants.START_ELEMENT
            && STREAMS_NS.equals(reader.getNamespaceURI())) {
          switch (reader.getLocalName()) {
            case "features":
              return;
            case "error":
              reader.nextTag();
              throw new IOException("stream error: " + reader.getLocalName());
            default:
              break;
          }
        }
      }
      throw new IOException("stream closed before <stream:features/>");
    } finally {
      reader.close();
    }
  }
}
