package dev.bindery.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The shipped HAProxy config with its HTTP/2 backend line switched on ({@code proto h2}: h2c by
 * prior knowledge to the nodes): every scenario of {@link BinderyBehindHaproxyIT} again, and the
 * nodes see their BOSH requests arrive over HTTP/2.
 */
class BinderyBehindHaproxyH2IT extends BinderyBehindHaproxyIT {

  static final String H2_LINE = "    # default-server proto h2\n";

  @Override
  DeployFile variant(DeployFile shipped) {
    return shipped.replace(H2_LINE, H2_LINE.replace("# ", ""));
  }

  @Test
  void nodesReceiveBoshRequestsOverHttp2() throws Exception {
    BoshChat admin = chat();
    BoshChat myself = chat();
    admin.login("admin", "mypassword1");
    myself.login("myself", "mypassword2");
    admin.message(myself.jid(), "over h2");
    myself.awaitMessage("over h2", 20);

    long h2 = 0;
    long h1 = 0;
    for (BinderyProcess node : new BinderyProcess[] {node1, node2}) {
      h2 += metric(node, "bosh_http_requests_total{protocol=\"HTTP/2.0\"");
      h1 += metric(node, "bosh_http_requests_total{protocol=\"HTTP/1.1\"");
    }
    assertThat(h2).as("requests over HTTP/2").isPositive();
    assertThat(h1).as("requests over HTTP/1.1").isZero();
    chats.forEach(c -> assertThat(c.failures).isEmpty());
  }
}
