package dev.bindery.server.upstream;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Immutable. One DNS SRV record for an XMPP client service (RFC 6120 §3.2.1, XEP-0368 §3).
 *
 * @param priority  lower is tried first
 * @param weight    relative share among records of equal priority
 * @param target    host name, without the trailing dot; {@code .} means "no service"
 * @param port      TCP port
 * @param directTls true for {@code _xmpps-client._tcp}: TLS from the first byte
 */
record SrvRecord(int priority, int weight, String target, int port, boolean directTls) {

  /** RFC 2782: a target of "." means the service is decidedly not available at this domain. */
  boolean noService() {
    return target.isEmpty() || target.equals(".");
  }

  /**
   * Orders records the way RFC 2782 says a client tries them: by priority, lowest first; within a
   * priority, a weighted random order, where a record of weight 0 is unlikely to come first.
   * Records of both services are merged into one order (XEP-0368 §3).
   */
  static List<SrvRecord> order(List<SrvRecord> records, Random random) {
    List<SrvRecord> sorted = new ArrayList<>(records);
    sorted.sort(Comparator.comparingInt(SrvRecord::priority));
    List<SrvRecord> ordered = new ArrayList<>(sorted.size());
    int i = 0;
    while (i < sorted.size()) {
      int priority = sorted.get(i).priority();
      List<SrvRecord> group = new ArrayList<>();
      while (i < sorted.size() && sorted.get(i).priority() == priority) {
        group.add(sorted.get(i++));
      }
      // zero weights first, as RFC 2782 arranges them before running the selection
      group.sort(Comparator.comparingInt(SrvRecord::weight));
      while (!group.isEmpty()) {
        int total = 0;
        for (SrvRecord r : group) {
          total += r.weight();
        }
        int pick = total == 0 ? 0 : random.nextInt(total + 1);
        int running = 0;
        int chosen = 0;
        for (int j = 0; j < group.size(); j++) {
          running += group.get(j).weight();
          if (running >= pick) {
            chosen = j;
            break;
          }
        }
        ordered.add(group.remove(chosen));
      }
    }
    return ordered;
  }
}
