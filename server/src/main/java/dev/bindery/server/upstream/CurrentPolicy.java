package dev.bindery.server.upstream;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Thread-safe. The upstream policy in force, which a configuration reload replaces as a whole.
 * Whoever decides about a new session or stream reads it once, so each decision sees one policy,
 * never a mix of the old and the new.
 */
public final class CurrentPolicy {

  private final AtomicReference<UpstreamPolicy> policy;

  public CurrentPolicy(UpstreamPolicy initial) {
    policy = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
  }

  /** The policy in force now. */
  public UpstreamPolicy get() {
    return policy.get();
  }

  /** Puts {@code next} in force at once and returns the policy it replaces. */
  public UpstreamPolicy replace(UpstreamPolicy next) {
    return policy.getAndSet(Objects.requireNonNull(next, "next"));
  }
}
