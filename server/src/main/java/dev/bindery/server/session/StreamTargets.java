package dev.bindery.server.session;

import dev.bindery.protocol.session.StreamPolicy;
import dev.bindery.server.upstream.CurrentPolicy;
import dev.bindery.server.upstream.Dial;
import dev.bindery.server.upstream.DomainRoute;
import dev.bindery.server.upstream.UpstreamPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Confined to the session's event loop, apart from {@link #newStreamName}. Where a session's
 * streams go (XEP-0124 §16): decides whether a further stream may go to a domain under the policy
 * in force at that moment, remembers where each stream went, and tells whether a newer policy
 * still serves them all.
 */
final class StreamTargets implements StreamPolicy {

  /** Stream names only: 128 random bits each, whatever the domains. */
  private static final StreamPolicy NAMES = StreamPolicy.serving(Set.of());

  private final CurrentPolicy policies;
  private final String clientAddress;
  /** By stream index: where each stream was dialed. */
  private final List<Dial> dials = new ArrayList<>();
  /**
   * The routes {@link #serves} found, by domain: a stream is dialed where it was allowed, even if
   * a reload came in between (the reload then ends the session with host-gone).
   */
  private final Map<String, DomainRoute> allowed = new HashMap<>();

  /** @param first where the creation request's stream goes: stream 0 */
  StreamTargets(CurrentPolicy policies, Dial first) {
    this.policies = policies;
    this.clientAddress = first.clientAddress();
    dials.add(first);
  }

  @Override
  public boolean serves(String domain) {
    DomainRoute route = policies.get().find(domain);
    if (route != null) {
      allowed.put(route.domain(), route);
    }
    return route != null;
  }

  @Override
  public String newStreamName() {
    return NAMES.newStreamName();
  }

  /** Where stream {@code index}, addressed to {@code to}, goes; recorded for later checks. */
  Dial dial(int index, String to) {
    if (index < dials.size()) {
      return dials.get(index);
    }
    DomainRoute route = allowed.get(to.trim().toLowerCase(Locale.ROOT));
    if (route == null || index != dials.size()) {
      throw new IllegalStateException("stream " + index + " to a domain not allowed: " + to);
    }
    Dial dial = new Dial(route, null, clientAddress);
    dials.add(dial);
    return dial;
  }

  /**
   * Why {@code policy} would no longer let one of the open streams go where it went (XEP-0124
   * §17.2 {@code host-gone}), or null when it serves them all.
   *
   * @param open whether the stream of that index is still open
   */
  String goneUnder(UpstreamPolicy policy, IntPredicate open) {
    for (int i = 0; i < dials.size(); i++) {
      if (!open.test(i)) {
        continue;
      }
      Dial d = dials.get(i);
      DomainRoute now = policy.find(d.domain().domain());
      if (now == null) {
        return d.domain().domain() + " is no longer served";
      }
      if (d.route() != null && !now.allowsRoute(d.route())) {
        return "route " + d.route() + " is no longer allowed for " + now.domain();
      }
    }
    return null;
  }
}
