package dev.bindery.server;

import dev.bindery.server.config.ConfigLoader;
import dev.bindery.server.config.ConfigSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Thread-safe. A Bindery started in this JVM from a YAML config file, as the executable loads it
 * ({@link ConfigLoader}), which a test rewrites and then reloads with {@code POST /reload} on the
 * admin listener.
 */
public final class ReloadableBindery implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  private final Path file;
  private final Bindery bindery;

  private ReloadableBindery(Path file, Bindery bindery) {
    this.file = file;
    this.bindery = bindery;
  }

  /** Writes {@code yaml} to a new file and starts Bindery from it. */
  public static ReloadableBindery start(String yaml) throws Exception {
    Path file = Files.createTempFile("bindery-reload-", ".yml");
    try {
      Files.writeString(file, yaml, StandardCharsets.UTF_8);
      ConfigSource source = () -> ConfigLoader.load(file, Map.of(), Map.of());
      return new ReloadableBindery(file, Bindery.start(source.load(), source));
    } catch (Exception | Error e) {
      Files.deleteIfExists(file);
      throw e;
    }
  }

  public Bindery bindery() {
    return bindery;
  }

  /** Replaces the config file's content; nothing changes until a reload. */
  public void rewrite(String yaml) throws IOException {
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
  }

  /** {@code POST /reload}: the answer, whatever its status. */
  public HttpResponse<String> reload() throws IOException, InterruptedException {
    return admin("POST", "/reload");
  }

  /** A request without content to the admin listener. */
  public HttpResponse<String> admin(String method, String path)
      throws IOException, InterruptedException {
    URI uri = bindery.adminEndpoint().resolve(path);
    return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Waits up to 10 s until {@code /metrics} has a match for {@code regex}. */
  public void awaitMetric(String regex) throws InterruptedException {
    Pattern pattern = Pattern.compile(regex);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!pattern.matcher(bindery.meterRegistry().scrape()).find()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + regex + " in:\n" + bindery.meterRegistry().scrape());
      }
      Thread.sleep(20); // polling a gauge another thread sets
    }
  }

  @Override
  public void close() throws IOException {
    try {
      bindery.close();
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
