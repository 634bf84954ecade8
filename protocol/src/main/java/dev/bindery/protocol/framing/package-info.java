/**
 * XMPP over WebSocket (RFC 7395): one top-level element per message, the stream's header and
 * footer as {@code <open/>} and {@code <close/>}; parsing a client's messages and writing the
 * server's.
 */
package dev.bindery.protocol.framing;
