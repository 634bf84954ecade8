package dev.bindery.server.session;

import dev.bindery.protocol.body.Body;

/**
 * Thread-safe. Decides whether a new session may be created: limits and drain. Called on a
 * servlet thread for every creation request of a served domain.
 */
@FunctionalInterface
public interface SessionGate {

  /** Lets every session in. */
  SessionGate OPEN = clientAddress -> null;

  /**
   * @return null to create the session, or the terminal body the request gets instead
   */
  Body refuse(String clientAddress);
}
