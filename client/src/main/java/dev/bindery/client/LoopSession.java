package dev.bindery.client;

import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Confined to its event loop. What the sessions of the Netty transports share: their work moves
 * to their loop, from whichever thread asks.
 */
abstract class LoopSession implements EventLoopTransport.Session {
  private final EventLoop loop;

  protected LoopSession(EventLoop loop) {
    this.loop = loop;
  }

  @Override
  public final EventLoop loop() {
    return loop;
  }

  @Override
  public final CompletableFuture<String> post(String body, Duration timeout) {
    CompletableFuture<String> result = new CompletableFuture<>();
    if (loop.inEventLoop()) {
      start(body, timeout, result);
    } else {
      loop.execute(() -> start(body, timeout, result));
    }
    return result;
  }

  @Override
  public final void close() {
    if (loop.inEventLoop()) {
      closeNow();
    } else {
      loop.execute(this::closeNow);
    }
  }

  /** On the loop: sends {@code body}; {@code result} completes with the answer. */
  protected abstract void start(String body, Duration timeout, CompletableFuture<String> result);

  /** On the loop: ends the session's exchanges. */
  protected abstract void closeNow();
}
