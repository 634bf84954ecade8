package dev.bindery.server.ops;

import dev.bindery.server.it.ChildProcess;
import dev.bindery.server.it.ProsodyServer;

/**
 * Stateless. The deploy tests' Prosody: the integration tests' {@link ProsodyServer} (client to
 * server only, on a free loopback port, its config and data in a scratch directory) with the
 * demo's two users registered.
 */
final class Prosody {

  static final String DOMAIN = "localhost";

  private Prosody() {}

  static boolean installed() {
    return ChildProcess.onPath("prosody") && ChildProcess.onPath("prosodyctl");
  }

  static ProsodyServer start() throws Exception {
    ProsodyServer prosody = ProsodyServer.start(DOMAIN);
    try {
      prosody.register("admin", "mypassword1");
      prosody.register("myself", "mypassword2");
      return prosody;
    } catch (Exception e) {
      prosody.close();
      throw e;
    }
  }
}
