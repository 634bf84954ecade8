package dev.bindery.server.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bindery.server.config.ServerConfig;
import dev.bindery.server.config.ConfigException;
import dev.bindery.server.config.ConfigKey;
import dev.bindery.server.config.ConfigLoader;
import dev.bindery.server.config.ConfigSource;
import dev.bindery.server.metrics.BoshMetrics;
import dev.bindery.server.session.LiveSessions;
import dev.bindery.server.session.SessionGate;
import dev.bindery.server.session.SessionRegistry;
import dev.bindery.server.websocket.WebSocketSessions;
import dev.bindery.server.upstream.CurrentPolicy;
import dev.bindery.server.upstream.UpstreamConnector;
import dev.bindery.server.upstream.UpstreamPolicy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reload puts a valid configuration's policy in force, and an invalid one changes nothing. */
class ConfigReloadTest {

  private static final ServerConfig RUNNING = ConfigLoader.load(null, Map.of(),
      Map.of(ConfigKey.DOMAINS, "localhost,chat.test"));

  @TempDir
  Path dir;

  private final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1,
      NioIoHandler.newFactory());
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final BoshMetrics metrics = new BoshMetrics(() -> 0, 10);
  private final CurrentPolicy current = new CurrentPolicy(RUNNING.upstream());
  private final UpstreamConnector connector = new UpstreamConnector(RUNNING.upstream(),
      metrics);
  private final AtomicReference<ConfigSource> source = new AtomicReference<>(() -> RUNNING);
  private final ConfigReload reload;

  ConfigReloadTest() {
    metrics.bindTo(registry);
    SessionRegistry sessions =
        new SessionRegistry(new LiveSessions(), loops, connector, current,
            RUNNING.sessionLimits(), "", SessionGate.OPEN, metrics);
    reload = new ConfigReload(() -> source.get().load(), RUNNING, current, connector,
        List.of(sessions, new WebSocketSessions()), metrics);
  }

  @AfterEach
  void stop() {
    connector.close();
    loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  @Test
  void validConfigurationPutsItsPolicyInForce() {
    source.set(() -> ConfigLoader.load(null, Map.of(), Map.of(ConfigKey.DOMAINS, "chat.test")));

    ReloadResult result = reload.reload();

    assertThat(current.get().domainNames()).containsExactly("chat.test");
    assertThat(result.diff().retired()).containsExactly("localhost");
    assertThat(result.sessionsEnded()).isZero();
    assertThat(result.summary()).isEqualTo("""
        reloaded
        domains added: none
        domains retired: localhost
        domains changed: none
        sessions ended with host-gone: 0
        needs a restart, not applied: none
        """);
    assertThat(reloads("success")).isEqualTo(1);
  }

  @Test
  void invalidFileLeavesThePolicyInForce() throws Exception {
    Path file = Files.writeString(dir.resolve("bindery.yml"), "domains: [chat.test]\n"
        + "upstream:\n  connect-timeout: soon\n");
    source.set(() -> ConfigLoader.load(file, Map.of(), Map.of()));
    UpstreamPolicy before = current.get();

    assertThatThrownBy(reload::reload).isInstanceOf(ConfigException.class)
        .hasMessageContaining("upstream.connect-timeout (bindery.yml): invalid duration: soon");

    assertThat(current.get()).isSameAs(before);
    assertThat(reloads("failure")).isEqualTo(1);
    assertThat(registry.find(BoshMetrics.CONFIG_RELOADS).tag("outcome", "success").counter())
        .isNull();
  }

  @Test
  void missingTrustStoreLeavesThePolicyInForce() {
    Path missing = dir.resolve("no-such-ca.pem");
    source.set(() -> ConfigLoader.load(null, Map.of(), Map.of(
        ConfigKey.SERVERS, "secure.test,trust-store=" + missing)));
    UpstreamPolicy before = current.get();

    assertThatThrownBy(reload::reload).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid trust-store: " + missing);

    assertThat(current.get()).isSameAs(before);
    assertThat(reloads("failure")).isEqualTo(1);
  }

  private double reloads(String outcome) {
    return registry.get(BoshMetrics.CONFIG_RELOADS).tag("outcome", outcome).counter().count();
  }
}
