package dev.bindery.server.ops;

import dev.bindery.client.HttpBoshTransport;
import dev.bindery.protocol.xmpp.Stanza;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Thread-safe: its state changes under one lock; the I/O runs on the current transport's threads
 * and on one reconnecting thread at a time. An XMPP client over BOSH that logs in with SASL
 * PLAIN, binds, and with stream management enables XEP-0198 resumption ({@code urn:xmpp:sm:3}):
 * it counts the stanzas it handles, answers {@code <r/>}, asks for acks and keeps what the
 * server has not acknowledged.
 *
 * <p>When its session ends (a terminal condition or a failed request) it opens a new BOSH session
 * through the same endpoint (a load balancer sends it to a live node), authenticates and sends
 * {@code <resume previd h/>}: on {@code <resumed h/>} it sends again what the server did not
 * handle; {@code <failed/>} is recorded (the server's queue for the old stream is lost) and it
 * binds a new stream. Without stream management it logs in again from scratch, which is all a
 * client can do then. Each reconnection is recorded with the time from the failure to the
 * working stream.
 *
 * <p>Each BOSH session is an {@link SmBoshSession} on the project's client library
 * (bindery-client); this class adds what the library's own login does not do, XEP-0198.
 */
final class SmBoshClient implements SmBoshSession.Listener {

  /** One reconnection: from which node to which, why, and how long the client had no stream. */
  record Reconnect(String fromNode, String toNode, String cause, Duration recovery,
      boolean resumed) {}

  /** One session that ended under the client: on which node, why, and when (nanoTime). */
  record SessionEnd(String node, String cause, long atNanos) {}

  /** How long a client keeps trying to reconnect before it gives up. */
  static final Duration RECONNECT_PATIENCE = Duration.ofSeconds(60);
  /** Pause between reconnection attempts that failed, e.g. while every node is restarting. */
  static final long RETRY_MILLIS = 250;
  /** Runs the HTTP completions and the sessions' work of every client: daemon threads. */
  private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "sm-bosh");
    t.setDaemon(true);
    return t;
  });

  private final String name;
  private final String domain;
  private final String user;
  private final String password;
  private final boolean streamManagement;
  private final Consumer<String> inbox;
  private final HttpBoshTransport transport;
  private final StreamManagement sm = new StreamManagement();
  private final Object lock = new Object();
  /** Messages queued while no stream was up (without stream management only). */
  private final List<String> backlog = new ArrayList<>();
  private final List<Reconnect> reconnects = new CopyOnWriteArrayList<>();
  private final List<SessionEnd> ends = new CopyOnWriteArrayList<>();
  /** Everything unexpected, with the time: bounces, {@code <failed/>}, attempts that failed. */
  final List<String> problems = new CopyOnWriteArrayList<>();

  // guarded by lock
  private SmBoshSession current;
  private String resumeId;
  private long failedAt;
  private String failedNode;
  private String failCause;
  private int failedResumes;
  private boolean closed;

  /**
   * @param name             for thread names and reports
   * @param streamManagement enable XEP-0198 and resume after a failure; else log in again
   * @param inbox            gets the body of every chat message received
   */
  SmBoshClient(String name, URI endpoint, String domain, String user, String password,
      boolean streamManagement, Consumer<String> inbox) {
    this.name = name;
    this.domain = domain;
    this.user = user;
    this.password = password;
    this.streamManagement = streamManagement;
    this.inbox = inbox;
    this.transport = HttpBoshTransport.create(endpoint, HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
        .executor(POOL), Map.of());
  }

  String name() {
    return name;
  }

  String bareJid() {
    return user + "@" + domain;
  }

  /** The node the current session lives on, or "-" while reconnecting. */
  String node() {
    synchronized (lock) {
      return current == null ? "-" : current.node();
    }
  }

  List<Reconnect> reconnects() {
    return List.copyOf(reconnects);
  }

  /** The sessions that ended under this client (not by its logout), in order. */
  List<SessionEnd> ends() {
    return List.copyOf(ends);
  }

  /** {@code <failed/>} answers to {@code <resume/>}: each one lost the server's queue. */
  int failedResumes() {
    synchronized (lock) {
      return failedResumes;
    }
  }

  /** Logs in the first time; returns once the stream is up. */
  void login() throws IOException, InterruptedException {
    establish(newSession());
  }

  private SmBoshSession newSession() {
    return new SmBoshSession(transport, POOL, domain, name, streamManagement);
  }

  /** Sends a chat message to {@code to} (a bare JID). */
  void message(String to, String body) {
    String xml = "<message xmlns='jabber:client' type='chat' to='" + to + "'><body>" + body
        + "</body></message>";
    synchronized (lock) {
      if (streamManagement) {
        sm.sending(xml); // sent again after a resumption unless acknowledged
      } else if (current == null) {
        backlog.add(xml);
        return;
      }
      if (current != null) {
        current.send(xml, true);
      }
    }
  }

  /** Ends the session (type='terminate' with unavailable presence), without resumption. */
  void logout() throws InterruptedException {
    SmBoshSession t;
    synchronized (lock) {
      closed = true;
      t = current;
      current = null;
    }
    if (t != null) {
      t.terminate("<presence xmlns='jabber:client' type='unavailable'/>", Duration.ofSeconds(5));
    }
  }

  @Override
  public void received(SmBoshSession from, List<Stanza> elements) {
    synchronized (lock) {
      if (from == current) {
        handle(from, elements);
      }
      // else: a session already given up; the server sends again what we did not count
    }
  }

  @Override
  public void failed(SmBoshSession from, String cause) {
    synchronized (lock) {
      if (from != current || closed) {
        return;
      }
      current = null;
      failedAt = System.nanoTime();
      failedNode = from.node();
      failCause = cause;
      ends.add(new SessionEnd(failedNode, cause, failedAt));
    }
    Thread t = new Thread(this::reconnect, "reconnect-" + name);
    t.setDaemon(true);
    t.start();
  }

  /** On the reconnecting thread: new sessions until one works or patience runs out. */
  private void reconnect() {
    long deadline = System.nanoTime() + RECONNECT_PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      synchronized (lock) {
        if (closed) {
          return;
        }
      }
      SmBoshSession t = newSession();
      try {
        establish(t);
        return;
      } catch (IOException e) {
        t.close();
        problem("reconnect attempt via " + t.node() + ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      try {
        Thread.sleep(RETRY_MILLIS); // back-off between attempts, not ordering
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    problem("gave up reconnecting after " + RECONNECT_PATIENCE);
  }

  /** Logs in on {@code t}: resumes the old stream if there is one, else binds a new one. */
  private void establish(SmBoshSession t) throws IOException, InterruptedException {
    t.authenticate(user, password);
    String previd;
    long h;
    synchronized (lock) {
      previd = resumeId;
      h = sm.handled();
    }
    if (previd != null && resume(t, previd, h)) {
      return;
    }
    bind(t);
  }

  /** Sends {@code <resume/>}; true once resumed, false after {@code <failed/>}. */
  private boolean resume(SmBoshSession t, String previd, long h)
      throws IOException, InterruptedException {
    Stanza reply = t.exchange("<resume xmlns='" + StreamManagement.NS
        + "' previd='" + previd + "' h='" + h + "'/>",
        s -> StreamManagement.NS.equals(s.namespace())
            && (s.localName().equals("resumed") || s.localName().equals("failed")));
    synchronized (lock) {
      if (closed) {
        t.close();
        return true;
      }
      if (reply.localName().equals("failed")) {
        failedResumes++;
        resumeId = null;
        problem("resume failed: " + reply.xml());
        return false;
      }
      long acked = Long.parseLong(Xml.attribute(reply.xml(), "h"));
      use(t);
      for (String again : sm.resumed(acked)) {
        t.send(again, true);
      }
      record(t, true);
    }
    t.stream(this); // first what came after <resumed/>
    return true;
  }

  /** Binds a new stream, enables stream management if wanted, and sends presence. */
  private void bind(SmBoshSession t) throws IOException, InterruptedException {
    t.exchange("<iq xmlns='jabber:client' type='set' id='bind'>"
        + "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>",
        s -> s.localName().equals("iq") && Xml.contains(s.xml(), "jid"));
    String enabledId = null;
    if (streamManagement) {
      Stanza enabled = t.exchange("<enable xmlns='" + StreamManagement.NS
          + "' resume='true'/>", s -> StreamManagement.NS.equals(s.namespace())
              && (s.localName().equals("enabled") || s.localName().equals("failed")));
      if (!enabled.localName().equals("enabled")) {
        throw new SmBoshSession.SessionOver("enable: " + enabled.xml());
      }
      enabledId = Xml.attribute(enabled.xml(), "id");
    }
    String presence = "<presence xmlns='jabber:client'/>";
    synchronized (lock) {
      if (closed) {
        t.close();
        return;
      }
      use(t);
      boolean again = failCause != null;
      if (streamManagement) {
        resumeId = enabledId;
        List<String> unacked = sm.restart(); // what the lost stream never confirmed
        sm.sending(presence);
        t.send(presence, true);
        for (String xml : unacked) {
          sm.sending(xml);
          t.send(xml, true);
        }
      } else {
        t.send(presence, false);
        for (String xml : backlog) {
          t.send(xml, false);
        }
        backlog.clear();
      }
      if (again) {
        record(t, false);
      }
    }
    t.stream(this); // first what came after the bind (or enable) answer
  }

  private void problem(String what) {
    problems.add(java.time.LocalTime.now() + " " + what);
  }

  /** Under the lock: a reconnection is complete. */
  private void record(SmBoshSession t, boolean resumed) {
    reconnects.add(new Reconnect(failedNode, t.node(), failCause,
        Duration.ofNanos(System.nanoTime() - failedAt), resumed));
  }

  /** Under the lock, for the current transport: counts, answers and delivers. */
  private void handle(SmBoshSession t, List<Stanza> elements) {
    for (Stanza s : elements) {
      try {
        handleOne(t, s);
      } catch (RuntimeException e) { // e.g. an ack beyond what we sent: a finding, not a crash
        problem(e + " handling " + s.xml());
      }
    }
  }

  private void handleOne(SmBoshSession t, Stanza s) {
    if (StreamManagement.NS.equals(s.namespace())) {
      switch (s.localName()) {
        case "r" -> t.send(sm.answer(), false);
        case "a" -> sm.acknowledged(Long.parseLong(Xml.attribute(s.xml(), "h")));
        default -> problem("unexpected " + s.xml());
      }
      return;
    }
    if (!s.isRoutable()) {
      problem("unexpected " + s.xml());
      return;
    }
    if (streamManagement) {
      sm.handledOne();
    }
    if (s.localName().equals("message")) {
      if (Xml.attribute(s.xml(), "type").equals("error")) {
        problem("bounced: " + s.xml());
      } else {
        String body = Xml.childText(s.xml(), "body");
        if (body != null) {
          inbox.accept(body);
        }
      }
    }
  }

  /** Waits until a stream is up (after a failure, once reconnected). */
  boolean awaitConnected(Duration timeout) throws InterruptedException {
    return awaitReconnects(0, timeout);
  }

  /** Waits until this client has reconnected {@code times} times in all and has a stream. */
  boolean awaitReconnects(int times, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (current == null || reconnects.size() < times) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
      return true;
    }
  }

  /** Under the lock: {@code t} carries the stream from now on. */
  private void use(SmBoshSession t) {
    current = t;
    lock.notifyAll();
  }

  @Override
  public String toString() {
    return name + "[" + bareJid() + " on " + node() + "]";
  }
}
