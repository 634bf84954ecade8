package dev.bindery.server.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Set;

/**
 * Thread-safe: immutable. Cross-origin rules for browser clients: headers on every response,
 * errors included, and the answer to a preflight.
 */
final class Cors {

  /** How long a browser may cache a preflight answer, in seconds. */
  static final int MAX_AGE_SECONDS = 86_400;

  private final boolean anyOrigin;
  private final Set<String> origins;

  Cors(List<String> allowedOrigins) {
    this.anyOrigin = allowedOrigins.contains("*");
    this.origins = Set.copyOf(allowedOrigins);
  }

  /** Adds the CORS headers this request may have; nothing for a foreign origin. */
  void addHeaders(HttpServletRequest request, HttpServletResponse response) {
    String origin = request.getHeader("Origin");
    if (anyOrigin) {
      response.setHeader("Access-Control-Allow-Origin", "*");
    } else {
      response.addHeader("Vary", "Origin");
      if (origin == null || !origins.contains(origin)) {
        return;
      }
      response.setHeader("Access-Control-Allow-Origin", origin);
    }
    response.setHeader("Access-Control-Allow-Methods", "POST, GET, OPTIONS");
    String requested = request.getHeader("Access-Control-Request-Headers");
    response.setHeader("Access-Control-Allow-Headers",
        requested == null ? "Content-Type" : requested);
    response.setHeader("Access-Control-Max-Age", Integer.toString(MAX_AGE_SECONDS));
  }
}
