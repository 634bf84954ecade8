package dev.bindery.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpThreadPoolTest {

  private EventLoopGroup loops;
  private HttpThreadPool pool;

  @BeforeEach
  void start() throws Exception {
    loops = new DefaultEventLoopGroup(2);
    pool = new HttpThreadPool(8, 2, loops);
    pool.start();
  }

  @AfterEach
  void stop() throws Exception {
    pool.stop();
    loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  @Test
  void idleThreadsGoAQuarterOfTheMaximumPerIdleTimeout() {
    assertThat(pool.getMaxEvictCount()).isEqualTo(2);
    assertThat(new HttpThreadPool(64, 8, loops).getMaxEvictCount()).isEqualTo(16);
    assertThat(new HttpThreadPool(3, 2, loops).getMaxEvictCount()).isEqualTo(1);
  }

  @Test
  void aConnectionResumedOnASessionLoopRunsThereAtOnce() throws Exception {
    CompletableFuture<String> ranOn = new CompletableFuture<>();
    CompletableFuture<String> loop = new CompletableFuture<>();
    loops.next().execute(() -> {
      loop.complete(Thread.currentThread().getName());
      pool.execute(connection(() -> ranOn.complete(Thread.currentThread().getName())));
      // ran before execute returned, not queued behind this task
      assertThat(ranOn).isDone();
    });

    assertThat(ranOn.get(5, TimeUnit.SECONDS)).isEqualTo(loop.get());
  }

  @Test
  void otherJobsOnASessionLoopGoToThePool() throws Exception {
    CompletableFuture<String> ranOn = new CompletableFuture<>();
    CompletableFuture<String> loop = new CompletableFuture<>();
    loops.next().execute(() -> {
      loop.complete(Thread.currentThread().getName());
      pool.execute(() -> ranOn.complete(Thread.currentThread().getName()));
    });

    assertThat(ranOn.get(5, TimeUnit.SECONDS)).isNotEqualTo(loop.get()).startsWith("qtp");
  }

  @Test
  void aConnectionResumedElsewhereGoesToThePool() throws Exception {
    CompletableFuture<String> ranOn = new CompletableFuture<>();
    pool.execute(connection(() -> ranOn.complete(Thread.currentThread().getName())));

    assertThat(ranOn.get(5, TimeUnit.SECONDS)).startsWith("qtp");
  }

  /** A Jetty connection whose {@code run()} does {@code work}, as Jetty resumes one. */
  private static Runnable connection(Runnable work) {
    return (Runnable) Proxy.newProxyInstance(HttpThreadPoolTest.class.getClassLoader(),
        new Class<?>[] {Connection.class, Runnable.class}, (proxy, method, args) -> {
          if (method.getName().equals("run")) {
            work.run();
          }
          return null;
        });
  }
}
