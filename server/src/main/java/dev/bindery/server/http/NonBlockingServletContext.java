package dev.bindery.server.http;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;

/**
 * The servlet context of the BOSH listener, declared non-blocking: Jetty then runs each request
 * on the selector thread that read it instead of handing it to a pool thread (one thread wake-up
 * less per HTTP exchange).
 *
 * <p>That is only sound because nothing here blocks: {@link BoshServlet} suspends every POST,
 * reads bodies with a {@code ReadListener} and writes every answer with {@link AsyncAnswer};
 * Jetty's own answers (preflight, errors) are written with callbacks. A servlet added here must
 * keep to that, or one client that stops reading would stall every connection of its selector.
 */
public final class NonBlockingServletContext extends ServletContextHandler {

  public NonBlockingServletContext(String contextPath) {
    super(contextPath);
  }

  @Override
  public InvocationType getInvocationType() {
    return InvocationType.NON_BLOCKING;
  }
}
