package dev.bindery.protocol.session;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyAttribute;
import dev.bindery.protocol.body.BodyParseException;
import java.util.OptionalLong;

/**
 * Immutable. The parameters a client asks for when it creates a session (XEP-0124 §7.1, XEP-0206
 * §3), validated.
 *
 * @param rid         the creation request's rid
 * @param to          the target domain
 * @param route       the {@code route} attribute ("proto:host:port"), or null
 * @param from        the client's {@code from}, or null
 * @param lang        {@code xml:lang}, or null
 * @param ver         the client's BOSH version, or null for a legacy client
 * @param waitSeconds the longest time the client wants a request held, seconds
 * @param hold        how many requests the client wants held
 * @param acks        true when the client asked for acknowledgements ({@code ack='1'}, §9)
 * @param xmppVersion the client's {@code xmpp:version}, or null
 * @param content     the {@code content} type for every response, or null (§7.1)
 * @param newkey      the first key of the client's key sequence, or null (§15)
 */
public record CreationRequest(
    long rid,
    String to,
    String route,
    String from,
    String lang,
    BoshVersion ver,
    int waitSeconds,
    int hold,
    boolean acks,
    String xmppVersion,
    String content,
    String newkey) {

  /** Seconds; no client needs to be held longer than a day, and larger values are refused. */
  private static final long MAX_ATTRIBUTE_SECONDS = 86_400;

  /** True for a client that sent no {@code ver}, which gets HTTP error codes (§17.1). */
  public boolean legacy() {
    return ver == null;
  }

  /** Reads a creation request: a body without {@code sid}. */
  public static CreationRequest from(Body body) throws BodyParseException {
    OptionalLong rid = body.rid();
    if (rid.isEmpty()) {
      throw badRequest("missing or invalid rid: " + body.attribute(BodyAttribute.RID).orElse(null)
          + " (expected: 1 ~ " + Body.MAX_RID + ")");
    }
    String to = body.attribute(BodyAttribute.TO).orElse(null);
    if (to == null || to.isBlank()) {
      throw new BodyParseException(BindingCondition.IMPROPER_ADDRESSING, "missing 'to' attribute");
    }
    OptionalLong wait = body.unsignedLong(BodyAttribute.WAIT, 0, MAX_ATTRIBUTE_SECONDS);
    if (wait.isEmpty()) {
      throw badRequest("missing or invalid wait: " + body.attribute(BodyAttribute.WAIT).orElse(null)
          + " (expected: 0 ~ " + MAX_ATTRIBUTE_SECONDS + ")");
    }
    OptionalLong hold = body.unsignedLong(BodyAttribute.HOLD, 0, 1000);
    if (hold.isEmpty()) {
      throw badRequest("missing or invalid hold: " + body.attribute(BodyAttribute.HOLD).orElse(null)
          + " (expected: 0 ~ 1000)");
    }
    BoshVersion ver = null;
    if (body.has(BodyAttribute.VER)) {
      ver = BoshVersion.parse(body.attribute(BodyAttribute.VER).get())
          .orElseThrow(() -> badRequest("invalid ver: "
              + body.attribute(BodyAttribute.VER).get() + " (expected: major.minor)"));
    }
    return new CreationRequest(
        rid.getAsLong(),
        to.trim(),
        body.attribute(BodyAttribute.ROUTE).orElse(null),
        body.attribute(BodyAttribute.FROM).orElse(null),
        body.attribute(BodyAttribute.XML_LANG).orElse(null),
        ver,
        (int) wait.getAsLong(),
        (int) hold.getAsLong(),
        "1".equals(body.attribute(BodyAttribute.ACK).orElse(null)),
        body.attribute(BodyAttribute.XMPP_VERSION).orElse(null),
        body.attribute(BodyAttribute.CONTENT).orElse(null),
        body.attribute(BodyAttribute.NEWKEY).orElse(null));
  }

  private static BodyParseException badRequest(String message) {
    return new BodyParseException(BindingCondition.BAD_REQUEST, message);
  }
}
