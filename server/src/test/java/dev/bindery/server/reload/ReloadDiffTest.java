package dev.bindery.server.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.server.config.ConfigKey;
import dev.bindery.server.config.ConfigLoader;
import dev.bindery.server.config.ServerConfig;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a reloaded configuration changes, from configurations as the executable loads them. */
class ReloadDiffTest {

  private static final ServerConfig RUNNING = load(Map.of(
      ConfigKey.DOMAINS, "localhost,chat.test",
      ConfigKey.SERVERS, "example.com,route=xmpp1.example.com:5222"));

  @Test
  void theSameConfigurationChangesNothing() {
    ReloadDiff diff = ReloadDiff.between(RUNNING, RUNNING.upstream(), RUNNING);

    assertThat(diff).isEqualTo(new ReloadDiff(
        List.of(), List.of(), List.of(), List.of()));
  }

  @Test
  void domainsAddedRetiredAndReachedDifferentlyAreNamed() {
    ServerConfig next = load(Map.of(
        ConfigKey.DOMAINS, "chat.test,new.test",
        ConfigKey.SERVERS, "example.com,route=xmpp2.example.com:5222"));

    ReloadDiff diff = ReloadDiff.between(RUNNING, RUNNING.upstream(), next);

    assertThat(diff.added()).containsExactly("new.test");
    assertThat(diff.retired()).containsExactly("localhost");
    assertThat(diff.changed()).containsExactly("example.com");
    assertThat(diff.restartOnly()).isEmpty();
  }

  @Test
  void aPlainDomainMovedToAnotherUpstreamAddressHasChanged() {
    ServerConfig next = load(Map.of(
        ConfigKey.DOMAINS, "localhost,chat.test",
        ConfigKey.SERVERS, "example.com,route=xmpp1.example.com:5222",
        ConfigKey.UPSTREAM_ADDRESS, "127.0.0.1:5223"));

    assertThat(ReloadDiff.between(RUNNING, RUNNING.upstream(), next).changed())
        .containsExactly("localhost", "chat.test");
  }

  @Test
  void domainsCompareWithThePolicyInForceAndSettingsWithTheStart() {
    ServerConfig reloaded = load(Map.of(ConfigKey.DOMAINS, "chat.test",
        ConfigKey.HTTP_PORT, "5281"));
    ServerConfig next = load(Map.of(ConfigKey.DOMAINS, "chat.test",
        ConfigKey.HTTP_PORT, "5281"));

    // after a reload to chat.test alone, the same file again: nothing more retired,
    // but the port still differs from the listener Bindery started with
    ReloadDiff diff = ReloadDiff.between(RUNNING, reloaded.upstream(), next);
    assertThat(diff.retired()).isEmpty();
    assertThat(diff.added()).isEmpty();
    assertThat(diff.restartOnly()).containsExactly("http.port");
  }

  @Test
  void restartOnlyKeysThatChangedAreNamedInKeyOrder() {
    ServerConfig next = load(Map.of(
        ConfigKey.DOMAINS, "localhost,chat.test",
        ConfigKey.SERVERS, "example.com,route=xmpp1.example.com:5222",
        ConfigKey.LOG_LEVEL, "DEBUG",
        ConfigKey.SESSION_MAX_WAIT, "30",
        ConfigKey.ADMIN_PORT, "9281",
        ConfigKey.HTTP_BIND, "0.0.0.0",
        ConfigKey.UPSTREAM_CONNECT_TIMEOUT, "3s"));

    ReloadDiff diff = ReloadDiff.between(RUNNING, RUNNING.upstream(), next);

    assertThat(diff.restartOnly())
        .containsExactly("http.bind", "admin.port", "session.max-wait", "log.level");
    assertThat(diff.added()).isEmpty();
    assertThat(diff.retired()).isEmpty();
    assertThat(diff.changed()).isEmpty();
  }

  @Test
  void everyRestartOnlyKeyIsDetected() {
    Map<ConfigKey<?>, String> others = new HashMap<>();
    others.put(ConfigKey.HTTP_BIND, "0.0.0.0");
    others.put(ConfigKey.ADMIN_BIND, "0.0.0.0");
    others.put(ConfigKey.HTTP_PORT, "1234");
    others.put(ConfigKey.ADMIN_PORT, "1234");
    others.put(ConfigKey.HTTP_ALLOWED_ORIGINS, "https://chat.example");
    others.put(ConfigKey.HTTP_TRUSTED_PROXIES, "10.0.0.0/8");
    others.put(ConfigKey.DRAIN_GRACE_PERIOD, "5s");
    others.put(ConfigKey.DRAIN_SEE_OTHER_URI, "https://other.example/http-bind");
    others.put(ConfigKey.LOG_LEVEL, "WARN");
    others.put(ConfigKey.LOG_FORMAT, "json");
    others.put(ConfigKey.LOG_WIRE, "true");
    others.put(ConfigKey.THREADS_HTTP_MAX, "16");
    others.put(ConfigKey.HTTP_H2_ENABLED, "false");
    others.put(ConfigKey.HTTP_H2_MAX_CONCURRENT_STREAMS, "100");
    others.put(ConfigKey.HTTP_H2_MAX_CONTROL_FRAMES, "100");
    others.put(ConfigKey.HTTP_H2_INITIAL_STREAM_WINDOW, "70000");
    others.put(ConfigKey.HTTP_H2_INITIAL_CONNECTION_WINDOW, "70000");
    others.put(ConfigKey.HTTP_WEB_ROOT, "/srv/chat");
    others.put(ConfigKey.WEBSOCKET_ENABLED, "false");
    others.put(ConfigKey.WEBSOCKET_PATH, "/ws");
    others.put(ConfigKey.WEBSOCKET_PING_INTERVAL, "20s");
    others.put(ConfigKey.WEBSOCKET_IDLE_TIMEOUT, "5m");
    others.put(ConfigKey.DISCOVERY_BOSH_URL, "https://chat.example/http-bind");
    others.put(ConfigKey.DISCOVERY_WEBSOCKET_URL, "wss://chat.example/xmpp-websocket");
    for (ConfigKey<?> key : RestartOnlySettings.RESTART_ONLY.keySet()) {
      // otherwise the session and admission limits, the loops, the body size: numbers
      String other = others.getOrDefault(key, "3");
      Map<ConfigKey<?>, String> flags = new HashMap<>();
      flags.put(ConfigKey.DOMAINS, "localhost,chat.test");
      flags.put(ConfigKey.SERVERS, "example.com,route=xmpp1.example.com:5222");
      flags.put(key, key == ConfigKey.LIMITS_MAX_BODY_SIZE ? "2048" : other);
      List<String> expected = List.of(key.path());
      if (key == ConfigKey.HTTP_TLS_CERTIFICATE || key == ConfigKey.HTTP_TLS_KEY) {
        // the HTTPS listener takes both or neither
        flags.put(ConfigKey.HTTP_TLS_CERTIFICATE, "/etc/bindery/cert.pem");
        flags.put(ConfigKey.HTTP_TLS_KEY, "/etc/bindery/key.pem");
        expected = List.of(ConfigKey.HTTP_TLS_CERTIFICATE.path(), ConfigKey.HTTP_TLS_KEY.path());
      }

      assertThat(ReloadDiff.between(RUNNING, RUNNING.upstream(), load(flags))
          .restartOnly()).as(key.path()).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void everyKeyIsEitherReloadableOrRestartOnly() {
    Set<ConfigKey<?>> both = new HashSet<>(RestartOnlySettings.RELOADABLE);
    both.retainAll(RestartOnlySettings.RESTART_ONLY.keySet());
    Set<ConfigKey<?>> either = new HashSet<>(RestartOnlySettings.RELOADABLE);
    either.addAll(RestartOnlySettings.RESTART_ONLY.keySet());

    assertThat(both).isEmpty();
    assertThat(either).containsExactlyInAnyOrderElementsOf(ConfigKey.values());
  }

  private static ServerConfig load(Map<ConfigKey<?>, String> flags) {
    return ConfigLoader.load(null, Map.of(), flags);
  }
}
