package dev.bindery.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SrvRecordTest {

  @Test
  void lowerPriorityComesFirstWhateverTheWeight() {
    SrvRecord backup = new SrvRecord(20, 100, "b.example", 5222, false);
    SrvRecord primary = new SrvRecord(10, 0, "a.example", 5222, false);
    SrvRecord direct = new SrvRecord(15, 0, "d.example", 5223, true);
    for (int seed = 0; seed < 50; seed++) {
      assertThat(SrvRecord.order(List.of(backup, direct, primary), new Random(seed)))
          .containsExactly(primary, direct, backup);
    }
  }

  @Test
  void weightSharesTheFirstPlaceWithinAPriority() {
    SrvRecord heavy = new SrvRecord(10, 90, "heavy.example", 5222, false);
    SrvRecord light = new SrvRecord(10, 10, "light.example", 5222, false);
    Random random = new Random(42);
    int heavyFirst = 0;
    for (int i = 0; i < 1000; i++) {
      List<SrvRecord> order = SrvRecord.order(List.of(light, heavy), random);
      assertThat(order).containsExactlyInAnyOrder(heavy, light);
      heavyFirst += order.get(0) == heavy ? 1 : 0;
    }
    assertThat(heavyFirst).isBetween(820, 980);
  }

  @Test
  void dotTargetMeansNoService() {
    assertThat(new SrvRecord(0, 0, ".", 0, false).noService()).isTrue();
    assertThat(new SrvRecord(0, 0, "xmpp.example", 5222, false).noService()).isFalse();
  }

  @Test
  void decodesRdata() {
    ByteBuf rdata = Unpooled.buffer();
    rdata.writeShort(5).writeShort(60).writeShort(5269);
    for (String label : List.of("XMPP", "example", "com")) {
      rdata.writeByte(label.length()).writeBytes(label.getBytes(StandardCharsets.US_ASCII));
    }
    rdata.writeByte(0);
    assertThat(UpstreamResolver.decode(rdata, true))
        .isEqualTo(new SrvRecord(5, 60, "xmpp.example.com", 5269, true));
  }
}
