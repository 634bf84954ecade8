/** XEP-0156 discovery: {@code /.well-known/host-meta} naming the BOSH and WebSocket endpoints. */
package dev.bindery.server.discovery;
