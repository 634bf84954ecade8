package dev.bindery.client;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Thread-safe: public methods may be called from any thread; the session's state is confined to
 * its {@link SerialExecutor}. A BOSH session (XEP-0124) that carries the XMPP payloads its caller
 * writes, for a client that negotiates XMPP itself, e.g. with stream management (XEP-0198):
 * session creation, the request window, one request held, batching, resending after a network
 * failure (§14.3), the stream restart of XEP-0206 §5 and the terminate request. {@link
 * BoshClient} is the same session with the XMPP login and chat on top.
 *
 * <pre>
 *   open --creation response--&gt; payloads in and out --terminate or failure--&gt; closed
 *                                                  \--abandon--&gt; closed (nothing sent)
 * </pre>
 */
public final class PayloadSession {

  /**
   * Confined to the session's executor: called there one event at a time, in order, so it must
   * not block. What the session brings in.
   */
  public interface Listener {

    /** One payload of a response, in the order the connection manager sent them. */
    void onPayload(XmlElement payload);

    /**
     * The session is over: {@code cause} is null after a clean terminate, else says why (a
     * terminal binding condition, a request that failed for good, {@link #abandon}). Called once.
     */
    void onClosed(BoshException cause);
  }

  private final Executor executor;
  private final BoshConnection connection;
  private volatile String sid;

  private PayloadSession(BoshTransport transport, Executor executor, BoshClientConfig config,
      long initialRid, Listener listener) {
    Objects.requireNonNull(listener, "listener");
    this.executor = executor;
    this.connection = new BoshConnection(transport, executor, config, initialRid,
        new BoshConnection.Handler() {
          @Override
          public void onPayload(XmlElement payload) {
            sid = connection.sid();
            listener.onPayload(payload);
          }

          @Override
          public void onClosed(BoshException cause) {
            listener.onClosed(cause);
          }
        });
  }

  /**
   * A session to be opened through {@code transport} with the domain and BOSH parameters of
   * {@code config} (its credentials are not used). Its work runs on {@code executor}, which many
   * sessions may share; {@code listener} is called there.
   */
  public static PayloadSession create(BoshTransport transport, Executor executor,
      BoshClientConfig config, Listener listener) {
    long initialRid = ThreadLocalRandom.current().nextLong(1, BoshClient.MAX_INITIAL_RID);
    return new PayloadSession(transport, new SerialExecutor(executor), config, initialRid,
        listener);
  }

  /** XEP-0124 §7.1: sends the session creation request; the payloads follow. Once only. */
  public void open() {
    executor.execute(connection::open);
  }

  /**
   * Queues one serialized payload; it goes out as soon as the request window allows, batched with
   * the payloads queued with it. Dropped once the session is over or its terminate is queued.
   */
  public void send(String payloadXml) {
    Objects.requireNonNull(payloadXml, "payloadXml");
    executor.execute(() -> {
      if (connection.accepting()) {
        connection.send(payloadXml);
      }
    });
  }

  /** XEP-0206 §5: queues the stream restart request that follows SASL success. */
  public void restart() {
    executor.execute(() -> {
      if (connection.accepting()) {
        connection.restart();
      }
    });
  }

  /**
   * XEP-0124 §13: queues the terminate request carrying {@code payloadXml} ("" for none) after
   * everything already queued; {@link Listener#onClosed} follows its answer.
   */
  public void terminate(String payloadXml) {
    Objects.requireNonNull(payloadXml, "payloadXml");
    executor.execute(() -> connection.terminate(payloadXml));
  }

  /**
   * Stops here without ending the session at the connection manager, which times it out, as a
   * client that went away would: nothing more is sent, and {@link Listener#onClosed} hears why.
   */
  public void abandon() {
    executor.execute(() -> connection.abandon(new BoshException(BoshException.Kind.TRANSPORT,
        null, "session abandoned by the client")));
  }

  /**
   * Runs {@code task} on the session's executor, in order with the listener's calls, e.g. to
   * change what the listener does next without a lock.
   */
  public void execute(Runnable task) {
    executor.execute(Objects.requireNonNull(task, "task"));
  }

  /** The session id, or null until the first payload came in. */
  public String sid() {
    return sid;
  }

  @Override
  public String toString() {
    return "PayloadSession[sid=" + sid + "]";
  }
}
