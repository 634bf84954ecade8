package dev.bindery.server.it;

import dev.bindery.server.Bindery;
import dev.bindery.server.config.ServerConfig;
import dev.bindery.server.upstream.DomainRoute;
import dev.bindery.server.upstream.Endpoint;
import dev.bindery.server.upstream.UpstreamLimits;
import dev.bindery.server.upstream.UpstreamPolicy;
import java.util.List;

/**
 * The chat scenario through Bindery to a Prosody that requires STARTTLS, with a certificate from
 * a CA the test creates and Bindery trusts (and verifies, with the domain as the name).
 */
class ChatThroughBinderyProsodyTlsIT extends ChatScenario {

  @Override
  protected Target start(Closer closer) throws Exception {
    TestCa ca = closer.register(TestCa.create("Bindery test CA"));
    ProsodyServer prosody =
        closer.register(ProsodyServer.startWithTls(DOMAIN, ca.issue(DOMAIN)));
    DomainRoute route = DomainRoute.fixed(DOMAIN, new Endpoint(prosody.host(), prosody.c2sPort()))
        .withTrustStore(ca.certificate())
        .withAllowPrivateAddresses(true); // the test server is on loopback
    Bindery bindery = closer.register(Bindery.start(ServerConfig.builder().port(0)
        .upstream(new UpstreamPolicy(List.of(route), UpstreamLimits.DEFAULTS,
            List.of())).build()));
    return new Target(prosody, bindery.endpoint());
  }
}
