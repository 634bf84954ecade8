package dev.bindery.server.websocket;

import dev.bindery.protocol.framing.FrameParser;
import dev.bindery.server.config.WebSocketConfig;
import dev.bindery.server.limits.Admission;
import dev.bindery.server.metrics.BoshMetrics;
import dev.bindery.server.metrics.WebSocketMetrics;
import dev.bindery.server.upstream.CurrentPolicy;
import dev.bindery.server.upstream.UpstreamConnector;
import io.netty.channel.EventLoopGroup;
import java.util.Objects;

/**
 * Immutable; every part is thread-safe. What every XMPP stream over WebSocket shares with the
 * others and with BOSH: the event loops, the upstream connector and policy, admission, the open
 * streams, metrics (the shared session meters, tagged by transport, and WebSocket's own) and
 * settings.
 *
 * @param seeOtherUri where streams go while the node drains ({@code drain.see-other-uri}), or
 *                    null for a {@code system-shutdown} stream error
 */
public record WebSocketServices(EventLoopGroup loops, UpstreamConnector connector,
    CurrentPolicy policy, Admission admission, WebSocketSessions sessions,
    BoshMetrics sessionMetrics, WebSocketMetrics metrics, FrameParser parser,
    WebSocketConfig config, String seeOtherUri) {

  public WebSocketServices {
    Objects.requireNonNull(loops, "loops");
    Objects.requireNonNull(connector, "connector");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(admission, "admission");
    Objects.requireNonNull(sessions, "sessions");
    Objects.requireNonNull(sessionMetrics, "sessionMetrics");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(parser, "parser");
    Objects.requireNonNull(config, "config");
  }
}
