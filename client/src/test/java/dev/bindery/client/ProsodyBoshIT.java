package dev.bindery.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client against a real Prosody and its own BOSH (mod_bosh), started as a child process on
 * free ports with its config and data in a temporary directory. Skipped if Prosody is not
 * installed.
 */
class ProsodyBoshIT {

  static final long TIMEOUT_SECONDS = 20;
  static final String DOMAIN = "localhost";

  static Path dir;
  static Process prosody;
  static URI endpoint;
  static ExecutorService pool;
  static HttpBoshTransport transport;
  static final StringBuffer prosodyOutput = new StringBuffer();

  @BeforeAll
  static void startProsody() throws Exception {
    Assumptions.assumeTrue(onPath("prosody") && onPath("prosodyctl"),
        "Prosody is not installed");
    dir = Files.createTempDirectory("bindery-client-it-");
    Files.createDirectories(dir.resolve("data"));
    Files.createDirectories(dir.resolve("certs"));
    int c2sPort = freePort();
    int httpPort = freePort();
    Path config = dir.resolve("prosody.cfg.lua");
    Files.writeString(config, String.join("\n",
        "run_as_root = true",
        "data_path = \"" + dir.resolve("data") + "\"",
        "certificates = \"" + dir.resolve("certs") + "\"",
        "pidfile = \"" + dir.resolve("prosody.pid") + "\"",
        "log = { { levels = { min = \"info\" }, to = \"console\" } }",
        "interfaces = { \"127.0.0.1\" }",
        "c2s_interfaces = { \"127.0.0.1\" }",
        "c2s_ports = { " + c2sPort + " }",
        "s2s_ports = { }",
        "http_interfaces = { \"127.0.0.1\" }",
        "http_ports = { " + httpPort + " }",
        "https_ports = { }",
        "consider_bosh_secure = true",
        "c2s_require_encryption = false",
        "allow_unencrypted_plain_auth = true",
        "authentication = \"internal_plain\"",
        "modules_enabled = { \"roster\"; \"saslauth\"; \"disco\"; \"bosh\" }",
        "modules_disabled = { \"s2s\" }",
        "VirtualHost \"" + DOMAIN + "\"",
        ""));
    register(config, "admin", "mypassword1");
    register(config, "myself", "mypassword2");

    prosody = new ProcessBuilder("prosody", "--config", config.toString(), "-F")
        .redirectErrorStream(true).start();
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> readOutput(ready), "prosody-output");
    reader.setDaemon(true);
    reader.start();
    ready.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

    endpoint = URI.create("http://127.0.0.1:" + httpPort + "/http-bind");
    pool = Executors.newFixedThreadPool(2);
    transport = HttpBoshTransport.create(endpoint, pool);
  }

  @AfterAll
  static void stopProsody() throws Exception {
    if (pool != null) {
      pool.shutdownNow();
    }
    if (prosody != null) {
      prosody.destroy();
      if (!prosody.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        prosody.destroyForcibly().waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
    }
    if (dir != null) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
  }

  @Test
  void twoUsersExchangeMessagesAndLogOutCleanly() throws Exception {
    CompletableFuture<ChatMessage> toAdmin = new CompletableFuture<>();
    CompletableFuture<ChatMessage> toMyself = new CompletableFuture<>();
    BoshClient admin = client("admin", "mypassword1", toAdmin::complete);
    BoshClient myself = client("myself", "mypassword2", toMyself::complete);

    String adminJid = await(admin.connect());
    String myselfJid = await(myself.connect());
    String text = "hi! <&'\"> \u00fc \uD83D\uDE00";
    await(admin.sendMessage("myself@localhost", text));
    await(myself.sendMessage("admin@localhost", text.toUpperCase()));

    assertThat(adminJid).startsWith("admin@localhost/");
    assertThat(await(toMyself)).isEqualTo(
        new ChatMessage(adminJid, "myself@localhost", "chat", text));
    assertThat(await(toAdmin).body()).isEqualTo(text.toUpperCase());
    assertThat(await(toAdmin).from()).isEqualTo(myselfJid);
    await(admin.disconnect());
    await(myself.disconnect());
  }

  @Test
  void aWrongPasswordIsAnAuthenticationFailure() {
    BoshClient admin = client("admin", "wrong", message -> { });

    assertThatThrownBy(() -> await(admin.connect()))
        .cause()
        .isInstanceOfSatisfying(BoshException.class, e -> {
          assertThat(e.kind()).isEqualTo(BoshException.Kind.AUTHENTICATION);
          assertThat(e.condition()).isEqualTo("not-authorized");
        });
  }

  /** Prosody 0.12 answers an unknown 'to' with improper-addressing rather than host-unknown. */
  @Test
  void anUnknownDomainIsATerminalBindingCondition() {
    BoshClient stranger = BoshClient.create(transport, pool,
        BoshClientConfig.of("example.org", "admin", "mypassword1"), message -> { });

    assertThatThrownBy(() -> await(stranger.connect()))
        .cause()
        .isInstanceOfSatisfying(BoshException.class, e -> {
          assertThat(e.kind()).isEqualTo(BoshException.Kind.TERMINATED);
          assertThat(e.condition()).isIn("host-unknown", "improper-addressing");
        });
  }

  private static BoshClient client(String user, String password, MessageListener listener) {
    return BoshClient.create(transport, pool, BoshClientConfig.of(DOMAIN, user, password)
        .withWaitSeconds(10), listener);
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  private static void readOutput(CompletableFuture<Void> ready) {
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(prosody.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        prosodyOutput.append(line).append('\n');
        if (line.contains("Activated service 'c2s'")) {
          ready.complete(null);
        }
      }
    } catch (IOException e) {
      ready.completeExceptionally(e);
    }
    ready.completeExceptionally(new IllegalStateException("Prosody exited: " + prosodyOutput));
  }

  private static void register(Path config, String user, String password) throws Exception {
    Process register = new ProcessBuilder("prosodyctl", "--config", config.toString(),
        "register", user, DOMAIN, password).redirectErrorStream(true).start();
    String output = new String(register.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(register.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(register.exitValue()).as("prosodyctl register: %s", output).isZero();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static boolean onPath(String command) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
  }
}
