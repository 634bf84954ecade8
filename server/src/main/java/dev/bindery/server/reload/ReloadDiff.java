package dev.bindery.server.reload;

import dev.bindery.server.config.ServerConfig;
import dev.bindery.server.upstream.DomainRoute;
import dev.bindery.server.upstream.UpstreamPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * Immutable. What a reloaded configuration changes: served domains added, retired (their
 * sessions get {@code host-gone}) or reached differently, and the restart-only keys that changed
 * and are not applied.
 *
 * @param added       domains served from now on, in configuration order
 * @param retired     domains no longer served
 * @param changed     domains still served whose upstream route changed (address, TLS, trust
 *                    store, PROXY header, private addresses or {@code route} allowlist)
 * @param restartOnly paths of the keys that changed but take effect only at the next start
 */
public record ReloadDiff(List<String> added, List<String> retired, List<String> changed,
    List<String> restartOnly) {

  public ReloadDiff {
    added = List.copyOf(added);
    retired = List.copyOf(retired);
    changed = List.copyOf(changed);
    restartOnly = List.copyOf(restartOnly);
  }

  /**
   * @param running  the configuration Bindery started with: what restart-only keys compare to
   * @param inForce  the upstream policy in force, from the start or the last reload
   * @param next     the configuration just loaded
   */
  public static ReloadDiff between(ServerConfig running, UpstreamPolicy inForce,
      ServerConfig next) {
    UpstreamPolicy policy = next.upstream();
    List<String> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    for (DomainRoute d : policy.domains()) {
      DomainRoute before = inForce.find(d.domain());
      if (before == null) {
        added.add(d.domain());
      } else if (!before.equals(d)) {
        changed.add(d.domain());
      }
    }
    List<String> retired = new ArrayList<>();
    for (DomainRoute d : inForce.domains()) {
      if (policy.find(d.domain()) == null) {
        retired.add(d.domain());
      }
    }
    return new ReloadDiff(added, retired, changed, RestartOnlySettings.changed(running, next));
  }
}
