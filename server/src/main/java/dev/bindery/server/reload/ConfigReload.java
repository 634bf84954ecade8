package dev.bindery.server.reload;

import dev.bindery.server.config.ServerConfig;
import dev.bindery.server.config.ConfigSource;
import dev.bindery.server.metrics.BoshMetrics;
import dev.bindery.server.upstream.CurrentPolicy;
import dev.bindery.server.upstream.UpstreamConnector;
import dev.bindery.server.upstream.UpstreamPolicy;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thread-safe: one reload at a time. Re-reads the configuration from its sources and applies what
 * can change while Bindery runs: the served domains and how their servers are reached. New
 * sessions and streams follow the new policy at once; each live session whose domain is no
 * longer served, or whose {@code route} is no longer allowed, ends with {@code host-gone}
 * (XEP-0124 §17.2). Restart-only keys that changed are logged and named, not applied. An invalid
 * configuration changes nothing.
 */
public final class ConfigReload {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigReload.class);

  /** How long to wait for the sessions' event loops to decide whether they are served. */
  static final Duration SWEEP_PATIENCE = Duration.ofSeconds(5);

  private final ConfigSource source;
  private final ServerConfig running;
  private final CurrentPolicy policy;
  private final UpstreamConnector connector;
  private final List<SessionSweep> sweeps;
  private final BoshMetrics metrics;

  /**
   * @param source  where the configuration is read again from
   * @param running the configuration Bindery started with
   * @param sweeps  the live sessions of each transport
   */
  public ConfigReload(ConfigSource source, ServerConfig running, CurrentPolicy policy,
      UpstreamConnector connector, List<SessionSweep> sweeps, BoshMetrics metrics) {
    this.source = source;
    this.running = running;
    this.policy = policy;
    this.connector = connector;
    this.sweeps = List.copyOf(sweeps);
    this.metrics = metrics;
  }

  /**
   * Reloads, blocking until the sessions no longer served have been told to end.
   *
   * @throws IllegalArgumentException the configuration is invalid (the message says why); the
   *                                  one in force stays
   */
  public synchronized ReloadResult reload() {
    UpstreamPolicy next;
    ReloadDiff diff;
    try {
      ServerConfig loaded = source.load();
      next = loaded.upstream();
      diff = ReloadDiff.between(running, policy.get(), loaded);
      connector.reconfigure(next); // may fail on a trust store; the last step that may fail
    } catch (RuntimeException e) {
      metrics.configReloaded(false);
      LOG.warn("configuration reload failed, nothing changed: {}", e.getMessage());
      throw e;
    }
    policy.replace(next);
    int ended = 0;
    for (SessionSweep sweep : sweeps) {
      ended += sweep.endSessionsNotServedBy(next, SWEEP_PATIENCE);
    }
    metrics.configReloaded(true);
    if (!diff.restartOnly().isEmpty()) {
      LOG.warn("configuration reload: {} changed and needs a restart: not applied",
          String.join(", ", diff.restartOnly()));
    }
    LOG.info("configuration reloaded: domains added {}, retired {}, changed {};"
        + " {} sessions ended with host-gone", diff.added(), diff.retired(), diff.changed(),
        ended);
    return new ReloadResult(diff, ended);
  }
}
