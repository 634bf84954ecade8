package dev.bindery.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread-safe. A scripted stand-in for an XMPP server, for unit tests of the relay only: answers
 * every stream header with a header and SASL features, records what it receives, and can push
 * bytes to a connection. Interoperability is tested against real servers, not this.
 */
public final class ScriptedXmppServer implements AutoCloseable {

  public static final String FEATURES = "<stream:features><mechanisms"
      + " xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms>"
      + "</stream:features>";

  private final ServerSocket socket;
  private final AtomicInteger accepted = new AtomicInteger();
  private final List<Connection> connections = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  public ScriptedXmppServer() throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::acceptLoop, "scripted-xmpp-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return socket.getLocalPort();
  }

  /** How many connections were accepted. */
  public int accepted() {
    return accepted.get();
  }

  /** The connection accepted {@code index}-th, waiting up to 5 s for it. */
  public Connection connection(int index) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (connections.size() <= index) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no connection " + index + " (accepted: " + accepted() + ")");
      }
      Thread.sleep(10); // polling a test fixture's state, not ordering the code under test
    }
    return connections.get(index);
  }

  private void acceptLoop() {
    int n = 0;
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        accepted.incrementAndGet();
        Connection c = new Connection(s, n++);
        connections.add(c);
        Thread t = new Thread(c::readLoop, "scripted-xmpp-" + c.index);
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
    for (Connection c : connections) {
      c.close();
    }
  }

  /** Thread-safe. One accepted connection. */
  public static final class Connection {
    private final Socket socket;
    private final int index;
    private final StringBuffer received = new StringBuffer();
    private final CountDownLatch ended = new CountDownLatch(1);
    private int headersAnswered;
    /** Guards {@link #reading}: not the connection itself, whose lock a blocked send holds. */
    private final Object readGate = new Object();
    private boolean reading = true;

    Connection(Socket socket, int index) {
      this.socket = socket;
      this.index = index;
    }

    /** Everything received so far, as text. */
    public String received() {
      return received.toString();
    }

    /** Waits up to 5 s until what was received contains {@code text}. */
    public String awaitReceived(String text) throws InterruptedException {
      return awaitReceived(text, Duration.ofSeconds(5));
    }

    /** Waits up to {@code timeout} until what was received contains {@code text}. */
    public String awaitReceived(String text, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!received().contains(text)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("never received " + text + "; got: " + received());
        }
        Thread.sleep(10);
      }
      return received();
    }

    /** Waits up to {@code timeout} until the connection manager has closed the connection. */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
      return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Writes raw text to the connection manager. */
    public synchronized void send(String xml) throws IOException {
      OutputStream out = socket.getOutputStream();
      out.write(xml.getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    public void close() throws IOException {
      socket.close();
    }

    /**
     * Stops (false) or resumes (true) reading from the connection manager: while stopped, the
     * socket's buffers fill and TCP pushes back on the sender.
     */
    public void reading(boolean reading) {
      synchronized (readGate) {
        this.reading = reading;
        readGate.notifyAll();
      }
    }

    /** Characters received so far. */
    public int receivedLength() {
      return received.length();
    }

    private void awaitReading() throws InterruptedException {
      synchronized (readGate) {
        while (!reading) {
          readGate.wait();
        }
      }
    }

    private void readLoop() {
      byte[] buf = new byte[8192];
      try (InputStream in = socket.getInputStream()) {
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
          received.append(new String(buf, 0, n, StandardCharsets.UTF_8));
          answerHeaders();
          awaitReading();
        }
      } catch (IOException e) {
        // the connection manager closed the connection: the test inspects what was received
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        ended.countDown();
      }
    }

    private void answerHeaders() throws IOException {
      int headers = count(received.toString(), "<stream:stream ");
      while (headersAnswered < headers) {
        headersAnswered++;
        send("<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' id='stream-" + index + "-"
            + headersAnswered + "' from='localhost' version='1.0'>" + FEATURES);
      }
    }

    private static int count(String s, String what) {
      int n = 0;
      for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
        n++;
      }
      return n;
    }
  }
}
