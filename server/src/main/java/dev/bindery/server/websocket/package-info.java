/**
 * XMPP over WebSocket (RFC 7395) beside BOSH: Jetty's upgrade at the configured path, one
 * {@code XmppWebSocket} per connection relaying one XMPP stream to the server through the same
 * upstream connector, policy, limits and drain as BOSH sessions.
 */
package dev.bindery.server.websocket;
