package dev.bindery.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bindery.protocol.body.BindingCondition;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpstreamPolicyTest {

  private final UpstreamPolicy policy = new UpstreamPolicy(List.of(
      DomainRoute.srv("example.com"),
      DomainRoute.srv("chat.example.org")
          .withAllowedRoutes(List.of(Endpoint.parse("xmpp1.example.org:5222")))),
      UpstreamLimits.DEFAULTS, List.of());

  @Test
  void servedDomainIsAllowedWhateverItsCase() {
    assertThat(policy.decide(" Example.COM ", null))
        .isEqualTo(new UpstreamPolicy.Decision.Allowed(DomainRoute.srv("example.com"), null));
  }

  @Test
  void unservedDomainGetsHostUnknown() {
    assertThat(refused("example.net", null)).isEqualTo(BindingCondition.HOST_UNKNOWN);
  }

  @Test
  void toThatIsNoDomainGetsImproperAddressing() {
    for (String to : List.of("user@example.com", "example.com/res", "exa mple.com",
        "127.0.0.1:5222", "a..b", ".", "-x.com", "x".repeat(64) + ".com")) {
      assertThat(refused(to, null)).as(to).isEqualTo(BindingCondition.IMPROPER_ADDRESSING);
    }
  }

  @Test
  void routeIsRefusedUnlessOnTheDomainsAllowlist() {
    assertThat(refused("example.com", "xmpp:xmpp1.example.org:5222"))
        .isEqualTo(BindingCondition.HOST_UNKNOWN);
    assertThat(refused("chat.example.org", "xmpp:10.0.0.1:5222"))
        .isEqualTo(BindingCondition.HOST_UNKNOWN);
    assertThat(refused("chat.example.org", "xmpp:xmpp1.example.org:5223"))
        .isEqualTo(BindingCondition.HOST_UNKNOWN);
    assertThat(policy.decide("chat.example.org", "xmpp:XMPP1.example.org:5222"))
        .isEqualTo(new UpstreamPolicy.Decision.Allowed(policy.find("chat.example.org"),
            new Endpoint("xmpp1.example.org", 5222)));
  }

  @Test
  void routeIsReadAsProtoHostPortNotAsUri() {
    assertThat(UpstreamPolicy.parseRoute("xmpp:jabber.org:9999"))
        .isEqualTo(new Endpoint("jabber.org", 9999));
    assertThat(UpstreamPolicy.parseRoute("xmpp:[2001:db8::1]:5222"))
        .isEqualTo(new Endpoint("2001:db8::1", 5222));
    for (String bad : List.of("jabber.org:9999", "http:jabber.org:80", "xmpp:jabber.org",
        "xmpp://jabber.org:5222", "xmpp:jabber.org:0", "xmpp:jabber.org:x", "xmpp:2001:db8::1:5222",
        "xmpp::5222")) {
      assertThat(UpstreamPolicy.parseRoute(bad)).as(bad).isNull();
    }
  }

  @Test
  void aDomainConfiguredTwiceIsAnError() {
    assertThatThrownBy(() -> new UpstreamPolicy(
        List.of(DomainRoute.srv("a.example"), DomainRoute.srv("A.example")),
        UpstreamLimits.DEFAULTS, List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
  }

  @Test
  void srvDefaultsAreTheSafeOnes() {
    DomainRoute d = DomainRoute.srv("example.com");
    assertThat(d.usesSrv()).isTrue();
    assertThat(d.tls()).isEqualTo(TlsMode.REQUIRED);
    assertThat(d.trustStore()).isNull();
    assertThat(d.allowPrivateAddresses()).isFalse();
    assertThat(d.allowedRoutes()).isEmpty();
    assertThat(d.proxyProtocol()).isEqualTo(ProxyProtocol.NONE);
  }

  private BindingCondition refused(String to, String route) {
    UpstreamPolicy.Decision d = policy.decide(to, route);
    assertThat(d).isInstanceOf(UpstreamPolicy.Decision.Refused.class);
    return ((UpstreamPolicy.Decision.Refused) d).condition();
  }
}
