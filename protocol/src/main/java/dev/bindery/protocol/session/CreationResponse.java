package dev.bindery.protocol.session;

import dev.bindery.protocol.body.BodyAttribute;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.namespace.QName;

/**
 * Thread-safe: stateless. The attributes of a session creation response (XEP-0124 §7.2, XEP-0206
 * §4); they appear in that response only.
 */
final class CreationResponse {

  private CreationResponse() {}

  /**
   * The attributes of the creation response for a session with these negotiated values.
   *
   * @param streamName the first stream's name (§16: a connection manager that supports several
   *                   streams names the first in its creation response)
   */
  static Map<QName, String> attributes(String sid, CreationRequest creation, String domain,
      String streamName, int wait, int hold, int inactivity, SessionLimits limits) {
    int requests = hold + 1;
    Map<QName, String> attrs = new LinkedHashMap<>();
    attrs.put(BodyAttribute.SID, sid);
    attrs.put(BodyAttribute.WAIT, Integer.toString(wait));
    attrs.put(BodyAttribute.REQUESTS, Integer.toString(requests));
    attrs.put(BodyAttribute.HOLD, Integer.toString(hold));
    attrs.put(BodyAttribute.INACTIVITY, Integer.toString(inactivity));
    attrs.put(BodyAttribute.POLLING, Integer.toString(limits.polling()));
    if (limits.maxPause() > 0) {
      attrs.put(BodyAttribute.MAXPAUSE, Integer.toString(limits.maxPause()));
    }
    attrs.put(BodyAttribute.VER, creation.legacy()
        ? BoshVersion.CURRENT.toString() : BoshVersion.CURRENT.min(creation.ver()).toString());
    attrs.put(BodyAttribute.FROM, domain);
    if (!limits.accept().isEmpty()) {
      attrs.put(BodyAttribute.ACCEPT, limits.accept());
    }
    if (creation.acks()) {
      attrs.put(BodyAttribute.ACK, Long.toString(creation.rid()));
    }
    attrs.put(BodyAttribute.STREAM, streamName);
    if (creation.xmppVersion() != null) {
      attrs.put(BodyAttribute.XMPP_VERSION, "1.0");
    }
    attrs.put(BodyAttribute.XMPP_RESTARTLOGIC, "true");
    return attrs;
  }
}
