package dev.bindery.server.reload;

import dev.bindery.server.config.ConfigKey;
import dev.bindery.server.config.ServerConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Stateless. Which configuration keys a reload applies, and which only a restart does: the
 * listeners, the session and admission limits, the drain and logging are built once at start.
 * A reload compares the latter and names those that changed.
 */
final class RestartOnlySettings {

  /** The keys a reload applies: the served domains and how their servers are reached. */
  static final Set<ConfigKey<?>> RELOADABLE = Set.of(ConfigKey.DOMAINS, ConfigKey.SERVERS,
      ConfigKey.UPSTREAM_ADDRESS, ConfigKey.UPSTREAM_NAME_SERVERS,
      ConfigKey.UPSTREAM_CONNECT_TIMEOUT, ConfigKey.UPSTREAM_TLS_HANDSHAKE_TIMEOUT,
      ConfigKey.UPSTREAM_FEATURES_TIMEOUT, ConfigKey.UPSTREAM_MAX_STANZA_SIZE,
      ConfigKey.UPSTREAM_MAX_CLIENT_STANZA_SIZE, ConfigKey.UPSTREAM_MAX_BUFFERED_BYTES);

  /** Every other key, and how to read its value from a configuration. */
  static final Map<ConfigKey<?>, Function<ServerConfig, Object>> RESTART_ONLY = restartOnly();

  private RestartOnlySettings() {}

  /** The paths of the restart-only keys whose values differ, in the order of {@link ConfigKey}. */
  static List<String> changed(ServerConfig running, ServerConfig next) {
    List<String> changed = new ArrayList<>();
    RESTART_ONLY.forEach((key, value) -> {
      if (!Objects.equals(value.apply(running), value.apply(next))) {
        changed.add(key.path());
      }
    });
    return changed;
  }

  /** In the order of {@link ConfigKey#values()}. */
  private static Map<ConfigKey<?>, Function<ServerConfig, Object>> restartOnly() {
    Map<ConfigKey<?>, Function<ServerConfig, Object>> m = new LinkedHashMap<>();
    m.put(ConfigKey.HTTP_BIND, c -> c.http().bind());
    m.put(ConfigKey.HTTP_PORT, c -> c.http().port());
    m.put(ConfigKey.HTTP_ALLOWED_ORIGINS, c -> c.http().allowedOrigins());
    m.put(ConfigKey.HTTP_TRUSTED_PROXIES, c -> c.http().trustedProxies());
    m.put(ConfigKey.HTTP_TLS_PORT, c -> c.http().https().port());
    m.put(ConfigKey.HTTP_TLS_CERTIFICATE, c -> c.http().https().certificate());
    m.put(ConfigKey.HTTP_TLS_KEY, c -> c.http().https().key());
    m.put(ConfigKey.HTTP_H2_ENABLED, c -> c.http().http2().enabled());
    m.put(ConfigKey.HTTP_H2_MAX_CONCURRENT_STREAMS, c -> c.http().http2().maxConcurrentStreams());
    m.put(ConfigKey.HTTP_H2_INITIAL_STREAM_WINDOW, c -> c.http().http2().initialStreamWindow());
    m.put(ConfigKey.HTTP_H2_INITIAL_CONNECTION_WINDOW,
        c -> c.http().http2().initialConnectionWindow());
    m.put(ConfigKey.HTTP_H2_MAX_CONTROL_FRAMES, c -> c.http().http2().maxControlFramesPerSecond());
    m.put(ConfigKey.HTTP_WEB_ROOT, c -> c.http().webRoot());
    m.put(ConfigKey.HTTP_HEADER_TIMEOUT, c -> c.http().headerTimeout());
    m.put(ConfigKey.WEBSOCKET_ENABLED, c -> c.webSocket().enabled());
    m.put(ConfigKey.WEBSOCKET_PATH, c -> c.webSocket().path());
    m.put(ConfigKey.WEBSOCKET_PING_INTERVAL, c -> c.webSocket().pingInterval());
    m.put(ConfigKey.WEBSOCKET_IDLE_TIMEOUT, c -> c.webSocket().idleTimeout());
    m.put(ConfigKey.DISCOVERY_BOSH_URL, c -> c.discovery().boshUrl());
    m.put(ConfigKey.DISCOVERY_WEBSOCKET_URL, c -> c.discovery().webSocketUrl());
    m.put(ConfigKey.NODE_NAME, ServerConfig::nodeName);
    m.put(ConfigKey.ADMIN_BIND, c -> c.admin().bind());
    m.put(ConfigKey.ADMIN_PORT, c -> c.admin().port());
    m.put(ConfigKey.SESSION_MAX_WAIT, c -> c.sessionLimits().maxWait());
    m.put(ConfigKey.SESSION_MAX_HOLD, c -> c.sessionLimits().maxHold());
    m.put(ConfigKey.SESSION_INACTIVITY, c -> c.sessionLimits().inactivity());
    m.put(ConfigKey.SESSION_POLLING, c -> c.sessionLimits().polling());
    m.put(ConfigKey.SESSION_MAX_REPEATED_RIDS, c -> c.sessionLimits().maxRepeatedRids());
    m.put(ConfigKey.LIMITS_MAX_SESSIONS, c -> c.admission().maxSessions());
    m.put(ConfigKey.LIMITS_NEW_SESSIONS_PER_IP, c -> c.admission().newSessionsPerIpPerSecond());
    m.put(ConfigKey.LIMITS_MAX_BODY_SIZE, c -> c.bodyLimits().maxBytes());
    m.put(ConfigKey.DRAIN_GRACE_PERIOD, c -> c.drain().gracePeriod());
    m.put(ConfigKey.DRAIN_SEE_OTHER_URI, c -> c.drain().seeOtherUri());
    m.put(ConfigKey.THREADS_HTTP_MAX, c -> c.threads().httpMaxThreads());
    m.put(ConfigKey.THREADS_SESSION_LOOPS, c -> c.threads().sessionLoops());
    m.put(ConfigKey.LOG_LEVEL, c -> c.log().level());
    m.put(ConfigKey.LOG_FORMAT, c -> c.log().format());
    m.put(ConfigKey.LOG_WIRE, c -> c.log().wire());
    return Collections.unmodifiableMap(m);
  }
}
