package dev.bindery.protocol.session;

import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyAttribute;

/**
 * Confined to its session. Request and response acknowledgements (XEP-0124 §9) and the buffer of
 * responses kept for clients that resend a request (§14.3).
 */
final class Acknowledgements {

  private final boolean enabled;
  private final long creationRid;
  private final long reportAfterMillis;
  private final ResponseBuffer responses;
  private long lastAnswered;
  /** {rid, ms} to report on the next response (§9.2), or null. */
  private long[] report;

  /**
   * @param enabled true when the client asked for acknowledgements ({@code ack='1'})
   */
  Acknowledgements(boolean enabled, long creationRid, int requests, SessionLimits limits) {
    this.enabled = enabled;
    this.creationRid = creationRid;
    this.reportAfterMillis = limits.reportAfterMillis();
    this.responses = new ResponseBuffer(
        enabled ? Math.max(requests, limits.maxUnacknowledged()) : requests);
    this.lastAnswered = creationRid - 1;
  }

  /**
   * A request is processed: its {@code ack} trims the buffer, and one below the last answered rid,
   * answered long enough ago, calls for a report.
   *
   * @return true when the request should be answered at once, with the report
   */
  boolean received(Body body, long rid, long now) {
    if (!enabled) {
      return false;
    }
    // "SHOULD NOT include an 'ack' attribute [...] if it has received responses to all"
    long ack = body.unsignedLong(BodyAttribute.ACK, 0, Body.MAX_RID).orElse(rid - 1);
    responses.acknowledge(ack);
    if (ack < lastAnswered) {
      ResponseBuffer.Sent missing = responses.sent(ack + 1);
      if (missing != null && now - missing.at() >= reportAfterMillis) {
        report = new long[] {ack + 1, now - missing.at()};
      }
    }
    return report != null;
  }

  /**
   * Adds this session's acknowledgement attributes to the response to {@code rid}.
   *
   * @param lastInOrder the highest rid received with every lower one (the §9.1 {@code ack})
   * @param last        true for the last response of a burst, which carries any report
   */
  void decorate(Body.Builder b, long rid, long lastInOrder, boolean last) {
    if (enabled && lastInOrder != rid && rid != creationRid) {
      // §9: the ack attribute is left out when it equals the rid being answered
      b.attribute(BodyAttribute.ACK, lastInOrder);
    }
    if (report != null && last) {
      b.attribute(BodyAttribute.REPORT, report[0]).attribute(BodyAttribute.TIME, report[1]);
      report = null;
    }
  }

  /** The response to {@code rid} went out; {@code keep} is false for a pause response. */
  void answered(long rid, Body response, boolean keep, long now) {
    if (keep) {
      responses.put(rid, response, now);
    }
    lastAnswered = Math.max(lastAnswered, rid);
  }

  /** The response to {@code rid}, if still kept for resending. */
  Body buffered(long rid) {
    return responses.get(rid);
  }
}
