/**
 * Integration tests against real XMPP servers, run by maven-failsafe ({@code *IT}).
 *
 * <p>{@link dev.bindery.server.it.ProsodyServer} and {@link dev.bindery.server.it.EjabberdServer}
 * start Prosody 0.12 and ejabberd 23.01 as child processes of the test JVM, each with a temp
 * directory for its config, data and logs and with free loopback ports only.
 * {@link dev.bindery.server.it.ChatScenario} has two users chat through a BOSH endpoint with
 * Smack; a subclass picks the server and the endpoint: the server's own BOSH module, or Bindery.
 *
 * <p>System properties: {@code -Dbindery.it.keepDirs=true} keeps the servers' directories after
 * the run (their paths are logged); {@code -Dbindery.it.debugServers=true} makes the servers log
 * at debug level, with every stanza; {@code -Dbindery.it.smackRosterRuns=N} sets how many times
 * each {@link dev.bindery.server.it.SmackRosterScenario} class runs its script (default 3). Run
 * one class with {@code -Dit.test=ProsodyNativeBoshIT}.
 */
package dev.bindery.server.it;
