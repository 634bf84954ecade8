package dev.bindery.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.server.upstream.CurrentPolicy;
import dev.bindery.server.upstream.Dial;
import dev.bindery.server.upstream.DomainRoute;
import dev.bindery.server.upstream.Endpoint;
import dev.bindery.server.upstream.UpstreamLimits;
import dev.bindery.server.upstream.UpstreamPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where a session's streams go, and whether a reloaded policy still serves them. */
class StreamTargetsTest {

  private static final Endpoint SERVER = Endpoint.parse("127.0.0.1:5222");
  private static final Endpoint SECOND = Endpoint.parse("127.0.0.1:5223");
  private static final DomainRoute LOCALHOST = DomainRoute.plainLoopback("localhost", SERVER)
      .withAllowedRoutes(List.of(SECOND));
  private static final DomainRoute CHAT = DomainRoute.plainLoopback("chat.test", SERVER);

  private final CurrentPolicy current = new CurrentPolicy(policy(LOCALHOST, CHAT));

  @Test
  void policyServingEveryOpenStreamLeavesTheSessionAlone() {
    StreamTargets targets = new StreamTargets(current, new Dial(LOCALHOST, SECOND, "192.0.2.1"));
    assertThat(targets.serves("Chat.Test")).isTrue();
    targets.dial(1, "chat.test");

    assertThat(targets.goneUnder(policy(CHAT, LOCALHOST), i -> true)).isNull();
  }

  @Test
  void retiredDomainOfAnyOpenStreamIsGone() {
    StreamTargets targets = new StreamTargets(current, new Dial(LOCALHOST, null, null));
    targets.serves("chat.test");
    targets.dial(1, "chat.test");

    assertThat(targets.goneUnder(policy(LOCALHOST), i -> true))
        .isEqualTo("chat.test is no longer served");
    assertThat(targets.goneUnder(policy(CHAT), i -> true))
        .isEqualTo("localhost is no longer served");
  }

  @Test
  void closedStreamToARetiredDomainDoesNotCount() {
    StreamTargets targets = new StreamTargets(current, new Dial(LOCALHOST, null, null));
    targets.serves("chat.test");
    targets.dial(1, "chat.test");

    assertThat(targets.goneUnder(policy(LOCALHOST), i -> i == 0)).isNull();
  }

  @Test
  void routeTakenOffTheAllowlistIsGone() {
    StreamTargets withRoute = new StreamTargets(current, new Dial(LOCALHOST, SECOND, null));
    StreamTargets without = new StreamTargets(current, new Dial(LOCALHOST, null, null));
    UpstreamPolicy noRoutes = policy(LOCALHOST.withAllowedRoutes(List.of()), CHAT);

    assertThat(withRoute.goneUnder(noRoutes, i -> true))
        .isEqualTo("route 127.0.0.1:5223 is no longer allowed for localhost");
    assertThat(without.goneUnder(noRoutes, i -> true)).isNull();
  }

  @Test
  void furtherStreamsAreDecidedByThePolicyInForceAndDialedWhereTheyWereAllowed() {
    StreamTargets targets = new StreamTargets(current, new Dial(LOCALHOST, null, "192.0.2.1"));
    assertThat(targets.serves("chat.test")).isTrue();
    current.replace(policy(LOCALHOST));

    // allowed a moment ago: dialed as allowed; the reload's sweep is what ends such a session
    assertThat(targets.dial(1, "chat.test")).isEqualTo(new Dial(CHAT, null, "192.0.2.1"));
    assertThat(targets.serves("chat.test")).isFalse();
    assertThat(targets.dial(0, "localhost").domain()).isEqualTo(LOCALHOST);
  }

  @Test
  void streamNamesAreUnique() {
    StreamTargets targets = new StreamTargets(current, new Dial(LOCALHOST, null, null));
    assertThat(targets.newStreamName()).isNotEqualTo(targets.newStreamName()).hasSize(22);
  }

  private static UpstreamPolicy policy(DomainRoute... domains) {
    return new UpstreamPolicy(List.of(domains), UpstreamLimits.DEFAULTS, List.of());
  }
}
