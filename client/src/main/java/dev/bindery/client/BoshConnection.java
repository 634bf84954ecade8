package dev.bindery.client;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Confined to the session's {@link SerialExecutor}: every method must be called there, and
 * every transport completion is brought back there. The BOSH half of a client session
 * (XEP-0124): session creation, the outgoing queue, rid sequencing, the window of requests in
 * flight, in-order processing of responses, retries, and termination.
 *
 * <p>Like a browser client it keeps one request held by the connection manager at all times and
 * sends payloads on a second one, never more than the {@code requests} the connection manager
 * advertised (one more for the terminate request, §11).
 *
 * <pre>
 *   NEW --open()--> CREATING --creation response--> ACTIVE --terminate()--> TERMINATING
 *                      |                               |                        |
 *                      +--------- failure -------------+------- response -------+--> CLOSED
 * </pre>
 */
final class BoshConnection {

  private static final Logger LOG = LoggerFactory.getLogger(BoshConnection.class);
  private static final Logger WIRE = LoggerFactory.getLogger("dev.bindery.wire");

  /** Tries per request when the HTTP exchange fails (XEP-0124 §14.3 allows resending). */
  static final int MAX_ATTEMPTS = 3;
  static final Duration RETRY_DELAY = Duration.ofSeconds(1);
  /** Added to {@code wait} for the HTTP timeout, for the network and a busy server. */
  static final Duration TIMEOUT_MARGIN = Duration.ofSeconds(15);
  /** Payloads batched into one request at most. */
  static final int MAX_PAYLOADS_PER_REQUEST = 100;

  /** Receives what the session brings in; called on the session's executor. */
  interface Handler {

    /** One payload of a response, in the order the connection manager sent them. */
    void onPayload(XmlElement payload);

    /** The session is over: {@code cause} is null after a clean terminate. Called once. */
    void onClosed(BoshException cause);
  }

  enum State { NEW, CREATING, ACTIVE, TERMINATING, CLOSED }

  /** What waits to be sent, in order. */
  private sealed interface Outgoing permits Payload, Restart, Terminate {}

  private record Payload(String xml) implements Outgoing {}

  private record Restart() implements Outgoing {}

  private record Terminate(String xml) implements Outgoing {}

  /** A request and its response, waiting for its turn to be processed. */
  private record Exchange(RequestBody request, ResponseBody response) {}

  private final BoshTransport transport;
  private final Executor executor;
  private final BoshClientConfig config;
  private final Handler handler;

  private final Deque<Outgoing> queue = new ArrayDeque<>();
  /** Requests sent and not yet answered, by rid. */
  private final NavigableMap<Long, RequestBody> inFlight = new TreeMap<>();
  /** Exchanges whose response arrived before the response to an earlier rid (§14.2). */
  private final NavigableMap<Long, Exchange> arrived = new TreeMap<>();

  private State state = State.NEW;
  private long nextRid;
  private long nextToProcess;
  private long terminateRid = -1;
  private String sid;
  private int requests;
  private Duration timeout;
  private Duration polling = Duration.ZERO;
  private boolean lastResponseWasEmptyPoll;
  private long lastPollSentNanos;
  private boolean pollScheduled;

  BoshConnection(BoshTransport transport, Executor executor, BoshClientConfig config,
      long initialRid, Handler handler) {
    this.transport = Objects.requireNonNull(transport, "transport");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.config = Objects.requireNonNull(config, "config");
    this.handler = Objects.requireNonNull(handler, "handler");
    if (initialRid < 1 || initialRid > RequestBody.MAX_RID) {
      throw new IllegalArgumentException(
          "invalid rid: " + initialRid + " (expected: 1 ~ " + RequestBody.MAX_RID + ")");
    }
    this.nextRid = initialRid;
    this.requests = 1;
    this.timeout = Duration.ofSeconds(config.waitSeconds()).plus(TIMEOUT_MARGIN);
  }

  State state() {
    return state;
  }

  /** The session id, or null before the creation response. */
  String sid() {
    return sid;
  }

  /** XEP-0124 §7.1: sends the session creation request. */
  void open() {
    if (state != State.NEW) {
      throw new IllegalStateException("already opened: " + state);
    }
    state = State.CREATING;
    RequestBody creation = RequestBody.sessionCreation(nextRid++, config);
    nextToProcess = creation.rid();
    sendNew(creation);
  }

  /** Queues one serialized payload; it goes out as soon as the window allows. */
  void send(String payloadXml) {
    requireOpen();
    queue.add(new Payload(payloadXml));
    pump();
  }

  /** XEP-0206 §5: queues the restart request that follows SASL success. */
  void restart() {
    requireOpen();
    queue.add(new Restart());
    pump();
  }

  /**
   * XEP-0124 §13: queues the terminate request with {@code payloadXml} ("" for none) after
   * everything already queued. Before the session exists there is nothing to terminate: the
   * session just closes.
   */
  void terminate(String payloadXml) {
    if (state == State.CLOSED || terminateQueued()) {
      return;
    }
    if (state == State.NEW) {
      close(null);
      return;
    }
    queue.add(new Terminate(payloadXml));
    pump();
  }

  /** Whether {@link #send} and {@link #restart} are allowed: open, and no terminate queued. */
  boolean accepting() {
    return state != State.NEW && state != State.CLOSED && !terminateQueued();
  }

  /**
   * Ends the session here without telling the connection manager, which times it out: nothing
   * more is sent, and {@link Handler#onClosed} reports {@code cause}.
   */
  void abandon(BoshException cause) {
    close(cause);
  }

  private boolean terminateQueued() {
    return state == State.TERMINATING || queue.peekLast() instanceof Terminate;
  }

  private void requireOpen() {
    if (state == State.NEW || state == State.CLOSED || terminateQueued()) {
      throw new IllegalStateException("session not open: " + state);
    }
  }

  /** Sends what the window allows; keeps one request held while the session is active. */
  private void pump() {
    if (sid == null || state == State.CLOSED || state == State.TERMINATING) {
      return;
    }
    while (true) {
      Outgoing head = queue.peek();
      if (head == null) {
        if (inFlight.isEmpty()) {
          poll();
        }
        return;
      }
      int window = head instanceof Terminate ? requests + 1 : requests;
      if (inFlight.size() >= window) {
        return;
      }
      queue.poll();
      if (head instanceof Restart) {
        sendNew(RequestBody.restart(nextRid++, sid, config));
      } else if (head instanceof Terminate terminate) {
        state = State.TERMINATING;
        terminateRid = nextRid;
        sendNew(RequestBody.terminate(nextRid++, sid, terminate.xml()));
        return;
      } else {
        StringBuilder batch = new StringBuilder(((Payload) head).xml());
        for (int n = 1; n < MAX_PAYLOADS_PER_REQUEST && queue.peek() instanceof Payload; n++) {
          batch.append(((Payload) queue.poll()).xml());
        }
        sendNew(RequestBody.payloads(nextRid++, sid, batch.toString()));
      }
    }
  }

  /**
   * Sends the empty request the connection manager holds (§8). After an empty request came back
   * empty, waits out {@code polling} first, so two such requests are never closer (§11, §12).
   */
  private void poll() {
    long sinceLast = System.nanoTime() - lastPollSentNanos;
    if (lastResponseWasEmptyPoll && sinceLast < polling.toNanos()) {
      if (!pollScheduled) {
        pollScheduled = true;
        Executor later = CompletableFuture.delayedExecutor(
            polling.toNanos() - sinceLast, TimeUnit.NANOSECONDS, executor);
        later.execute(() -> {
          pollScheduled = false;
          pump();
        });
      }
      return;
    }
    lastPollSentNanos = System.nanoTime();
    sendNew(RequestBody.payloads(nextRid++, sid, ""));
  }

  private void sendNew(RequestBody body) {
    inFlight.put(body.rid(), body);
    transmit(body, 1);
  }

  private void transmit(RequestBody body, int attempt) {
    String xml = body.toXml();
    WIRE.trace("sid={} rid={} attempt={} sent: {}", sid, body.rid(), attempt, xml);
    transport.post(xml, timeout)
        .whenCompleteAsync((entity, error) -> onExchange(body, attempt, entity, error), executor);
  }

  private void onExchange(RequestBody body, int attempt, String entity, Throwable error) {
    if (state == State.CLOSED) {
      return;
    }
    if (error != null) {
      onExchangeFailed(body, attempt, unwrap(error));
      return;
    }
    WIRE.trace("sid={} rid={} received: {}", sid, body.rid(), entity);
    ResponseBody response;
    try {
      response = ResponseParser.parse(entity);
    } catch (BoshException e) {
      close(e);
      return;
    }
    if (response.isRecoverableError() && sid != null) {
      // §17.3: repeat the request as it was. Earlier unanswered requests are still open and
      // get their own answers.
      retry(body, attempt, new BoshException(BoshException.Kind.PROTOCOL, null,
          "recoverable binding error on rid " + body.rid()));
      return;
    }
    inFlight.remove(body.rid());
    arrived.put(body.rid(), new Exchange(body, response));
    for (Exchange next; (next = arrived.remove(nextToProcess)) != null; nextToProcess++) {
      lastResponseWasEmptyPoll = next.request().isPoll() && next.response().payloads().isEmpty();
      process(next.request().rid(), next.response());
      if (state == State.CLOSED) {
        return;
      }
    }
    pump();
  }

  private void onExchangeFailed(RequestBody body, int attempt, Throwable cause) {
    if (cause instanceof BoshException e) {
      close(e);
    } else if (cause instanceof IOException && sid != null) {
      retry(body, attempt, new BoshException(BoshException.Kind.TRANSPORT, null,
          "request rid=" + body.rid() + " failed: " + describe(cause), cause));
    } else {
      close(new BoshException(BoshException.Kind.TRANSPORT, null,
          "cannot reach the connection manager: " + describe(cause), cause));
    }
  }

  private void retry(RequestBody body, int attempt, BoshException failure) {
    if (attempt >= MAX_ATTEMPTS) {
      close(failure);
      return;
    }
    LOG.debug("sid={} rid={} retrying after: {}", sid, body.rid(), failure.getMessage());
    Executor later = CompletableFuture.delayedExecutor(
        RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS, executor);
    later.execute(() -> {
      if (state != State.CLOSED) {
        transmit(body, attempt + 1);
      }
    });
  }

  private void process(long rid, ResponseBody response) {
    if (state == State.CREATING) {
      if (!accept(response)) {
        return;
      }
    }
    for (XmlElement payload : response.payloads()) {
      if (!payload.is(Xml.NS_STREAM, "error")) {
        handler.onPayload(payload);
        if (state == State.CLOSED) {
          return;
        }
      }
    }
    if (response.isTerminate()) {
      close(isAnswerToOurTerminate(response) ? null : response.terminationCause());
    } else if (rid == terminateRid) {
      close(null);
    }
  }

  /**
   * Whether a {@code type='terminate'} body just confirms the terminate request we sent. Besides
   * a plain {@code type='terminate'} (§13), ejabberd answers the requests it still held with
   * {@code other-request}: "Another request being processed at the same time as this request
   * caused the session to terminate" (§17.2) - which, here, was ours.
   */
  private boolean isAnswerToOurTerminate(ResponseBody response) {
    String condition = response.condition();
    return state == State.TERMINATING && (condition == null || condition.equals("other-request"));
  }

  /** Reads the session creation response (§7.2); returns false if it ended the session. */
  private boolean accept(ResponseBody response) {
    if (response.isTerminate()) {
      close(response.terminationCause());
      return false;
    }
    try {
      sid = response.sid();
      if (sid == null || sid.isEmpty()) {
        throw new BoshException(BoshException.Kind.PROTOCOL, null,
            "session creation response without sid");
      }
      int wait = response.intAttribute("wait", config.waitSeconds());
      // §7.2: 'requests' is RECOMMENDED to be hold + 1; without it any number is allowed, and
      // hold + 1 is all this client needs.
      requests = Math.max(1, response.intAttribute("requests", config.hold() + 1));
      polling = Duration.ofSeconds(response.intAttribute("polling", 0));
      timeout = Duration.ofSeconds(Math.min(wait, config.waitSeconds())).plus(TIMEOUT_MARGIN);
    } catch (BoshException e) {
      close(e);
      return false;
    }
    state = State.ACTIVE;
    LOG.debug("sid={} created: requests={} polling={} ver={}", sid, requests,
        polling.toSeconds(), response.attribute("ver"));
    return true;
  }

  private void close(BoshException cause) {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    queue.clear();
    inFlight.clear();
    arrived.clear();
    if (cause == null) {
      LOG.debug("sid={} terminated", sid);
    } else {
      LOG.debug("sid={} closed: {}", sid, cause.getMessage());
    }
    handler.onClosed(cause);
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static String describe(Throwable cause) {
    if (cause instanceof ConnectException && cause.getMessage() == null) {
      return "connection refused";
    }
    String message = cause.getMessage();
    String name = cause.getClass().getSimpleName();
    return message == null || message.isEmpty() ? name : name + ": " + message;
  }
}
