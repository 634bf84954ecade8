package dev.bindery.server.ops;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Thread-safe: the tally is guarded by this object. Bad BOSH requests at a steady rate, each
 * kind in turn on a connection of its own, and what each got back: the status and the
 * terminal condition, a reset, or nothing within {@link #ANSWER_TIMEOUT} (a hang).
 */
final class BadRequestFlood implements AutoCloseable {

  static final String NS = "xmlns='http://jabber.org/protocol/httpbind'";
  static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
  private static final Pattern SID = Pattern.compile("sid=['\"]([^'\"]+)['\"]");

  /** A kind of bad request, and the answer XEP-0124 and docs/conformance.md give it. */
  enum Kind {
    /** Not well-formed XML (124-6.1). */
    MALFORMED("HTTP 200 bad-request"),
    /** A sid no session has (124-7.1.1, §14.3). */
    UNKNOWN_SID("HTTP 200 item-not-found"),
    /** Content-Length beyond limits.max-body-size, refused before reading (124-7.2.4). */
    OVERSIZE_DECLARED("HTTP 200 policy-violation"),
    /** A chunked body that grows beyond limits.max-body-size while read. */
    OVERSIZE_SENT("HTTP 200 policy-violation"),
    /** A DTD with nested entities (billion laughs, 124-6.2). */
    ENTITY_EXPANSION("HTTP 200 bad-request"),
    /** An unknown sid with a Content-Type BOSH ignores (124-5.4): still item-not-found. */
    BAD_CONTENT_TYPE("HTTP 200 item-not-found"),
    /** A fresh session, then a rid far beyond its window (§14.2): the session ends. */
    WRONG_RID("HTTP 200 item-not-found");

    final String expected;

    Kind(String expected) {
      this.expected = expected;
    }
  }

  private final int port;
  private final String domain;
  private final int maxBodyBytes;
  private final Map<Kind, Map<String, Integer>> answers = new EnumMap<>(Kind.class);
  private final AtomicInteger sent = new AtomicInteger();
  private final ExecutorService workers;
  private volatile boolean stopped;

  /**
   * Starts {@code connections} workers, each sending one bad request after another, paced to
   * {@code perSecond} in all.
   */
  BadRequestFlood(int port, String domain, int maxBodyBytes, int connections, int perSecond) {
    this.port = port;
    this.domain = domain;
    this.maxBodyBytes = maxBodyBytes;
    this.workers = Executors.newFixedThreadPool(connections, r -> {
      Thread t = new Thread(r, "bad-request-flood");
      t.setDaemon(true);
      return t;
    });
    long periodNanos = TimeUnit.SECONDS.toNanos(connections) / perSecond;
    for (int w = 0; w < connections; w++) {
      int first = w;
      workers.execute(() -> run(first, periodNanos));
    }
  }

  private void run(int first, long periodNanos) {
    Kind[] kinds = Kind.values();
    long next = System.nanoTime();
    for (int i = first; !stopped; i++) {
      Kind kind = kinds[i % kinds.length];
      String answer;
      try {
        answer = send(kind);
      } catch (SocketTimeoutException e) {
        answer = "no answer in " + ANSWER_TIMEOUT.toSeconds() + " s";
      } catch (IOException e) {
        answer = "connection failed: " + e.getMessage();
      }
      sent.incrementAndGet();
      synchronized (this) {
        answers.computeIfAbsent(kind, k -> new TreeMap<>()).merge(answer, 1, Integer::sum);
      }
      next += periodNanos;
      long sleep = next - System.nanoTime();
      if (sleep > 0) {
        try {
          TimeUnit.NANOSECONDS.sleep(sleep);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private String send(Kind kind) throws IOException {
    long rid = ThreadLocalRandom.current().nextLong(1, 1L << 40);
    String unknownSid = "no-such-sid-" + Long.toHexString(rid);
    return switch (kind) {
      case MALFORMED -> post("text/xml", "<body rid='" + rid + "' " + NS + "><presence");
      case UNKNOWN_SID -> post("text/xml", "<body rid='" + rid + "' sid='" + unknownSid + "' "
          + NS + "/>");
      case OVERSIZE_DECLARED -> exchange(head("text/xml", "Content-Length: "
          + (maxBodyBytes * 2L)), null);
      case OVERSIZE_SENT -> exchange(head("text/xml", "Transfer-Encoding: chunked"),
          chunked(maxBodyBytes + 4096));
      case ENTITY_EXPANSION -> post("text/xml", billionLaughs(rid));
      case BAD_CONTENT_TYPE -> post("application/x-bogus", "<body rid='" + rid + "' sid='"
          + unknownSid + "' " + NS + "/>");
      case WRONG_RID -> wrongRid(rid);
    };
  }

  private String wrongRid(long rid) throws IOException {
    String created = exchangeText(head("text/xml", ""), ("<body rid='" + rid + "' to='"
        + domain + "' wait='5' hold='1' ver='1.11' " + NS + "/>").getBytes(StandardCharsets.UTF_8));
    Matcher sid = SID.matcher(created);
    if (!sid.find()) {
      return "creation failed: " + HostileSocket.answerOf(created);
    }
    return post("text/xml", "<body rid='" + (rid + 1_000_000) + "' sid='" + sid.group(1) + "' "
        + NS + "/>");
  }

  private static String billionLaughs(long rid) {
    StringBuilder dtd = new StringBuilder("<?xml version='1.0'?><!DOCTYPE body [<!ENTITY l0 'ha'>");
    for (int i = 1; i <= 10; i++) {
      dtd.append("<!ENTITY l").append(i).append(" '");
      for (int j = 0; j < 10; j++) {
        dtd.append("&l").append(i - 1).append(';');
      }
      dtd.append("'>");
    }
    return dtd + "]><body rid='" + rid + "' " + NS + ">&l10;</body>";
  }

  private String post(String contentType, String xml) throws IOException {
    return exchange(head(contentType, ""), xml.getBytes(StandardCharsets.UTF_8));
  }

  private String head(String contentType, String lengthHeader) {
    return "POST /http-bind HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: "
        + contentType + "\r\nConnection: close\r\n" + (lengthHeader.isEmpty() ? ""
        : lengthHeader + "\r\n");
  }

  private static byte[] chunked(int size) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[16384];
    java.util.Arrays.fill(chunk, (byte) ' ');
    byte[] start = ("<body rid='1' " + NS + ">").getBytes(StandardCharsets.UTF_8);
    System.arraycopy(start, 0, chunk, 0, start.length);
    for (int written = 0; written < size; written += chunk.length) {
      out.writeBytes((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(chunk);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
      java.util.Arrays.fill(chunk, 0, start.length, (byte) ' ');
    }
    out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  /** {@code head} without its blank line; {@code body}, if any, with a Content-Length unless
   * the head gives the framing. */
  private String exchange(String head, byte[] body) throws IOException {
    return HostileSocket.answerOf(exchangeText(head, body));
  }

  private String exchangeText(String head, byte[] body) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      s.setSoTimeout((int) ANSWER_TIMEOUT.toMillis());
      OutputStream out = s.getOutputStream();
      boolean framed = head.contains("Content-Length:") || head.contains("Transfer-Encoding:");
      String request = head + (body != null && !framed ? "Content-Length: " + body.length
          + "\r\n" : "") + "\r\n";
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      try {
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
          out.write(body);
        }
        out.flush();
      } catch (IOException e) {
        // refused while still sending (an oversize body): the answer may be there already
      }
      InputStream in = s.getInputStream();
      byte[] buffer = new byte[8192];
      try {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          got.write(buffer, 0, n);
        }
      } catch (SocketTimeoutException e) {
        if (got.size() == 0) {
          throw e;
        }
      } catch (IOException e) {
        if (got.size() == 0) {
          return "reset: " + e.getMessage();
        }
      }
      return got.toString(StandardCharsets.UTF_8);
    }
  }

  /** Requests sent so far. */
  int sent() {
    return sent.get();
  }

  /** Per kind, each distinct answer and how often it came. */
  synchronized Map<Kind, Map<String, Integer>> answers() {
    Map<Kind, Map<String, Integer>> copy = new EnumMap<>(Kind.class);
    answers.forEach((k, v) -> copy.put(k, new TreeMap<>(v)));
    return copy;
  }

  /** The answers that were not the expected one, as "KIND: answer xN". */
  synchronized List<String> unexpected() {
    List<String> wrong = new ArrayList<>();
    answers.forEach((k, v) -> v.forEach((answer, n) -> {
      if (!answer.equals(k.expected)) {
        wrong.add(k + ": " + answer + " x" + n);
      }
    }));
    return wrong;
  }

  /** Stops sending; returns once every request under way got its answer or timed out. */
  @Override
  public void close() throws InterruptedException {
    stopped = true;
    workers.shutdown();
    if (!workers.awaitTermination(ANSWER_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS)) {
      workers.shutdownNow();
    }
  }
}
