package dev.bindery.protocol.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyAttribute;
import org.junit.jupiter.api.Test;

class ResponseBufferTest {

  private static Body body(long n) {
    return Body.builder().attribute(BodyAttribute.ACK, n).build();
  }

  @Test
  void keepsTheMostRecentResponses() {
    ResponseBuffer buffer = new ResponseBuffer(2);
    buffer.put(1, body(1), 0);
    buffer.put(2, body(2), 0);
    buffer.put(3, body(3), 0);

    assertThat(buffer.get(1)).isNull();
    assertThat(buffer.get(2)).isEqualTo(body(2));
    assertThat(buffer.get(3)).isEqualTo(body(3));
  }

  @Test
  void unknownRidIsNull() {
    assertThat(new ResponseBuffer(2).get(7)).isNull();
  }

  @Test
  void capacityBelowOneKeepsOne() {
    ResponseBuffer buffer = new ResponseBuffer(0);
    buffer.put(1, body(1), 0);
    buffer.put(2, body(2), 0);

    assertThat(buffer.get(1)).isNull();
    assertThat(buffer.get(2)).isEqualTo(body(2));
  }

  @Test
  void sentKeepsTheTimeOfTheResponse() {
    ResponseBuffer buffer = new ResponseBuffer(2);
    buffer.put(1, body(1), 1_000);

    assertThat(buffer.sent(1)).isEqualTo(new ResponseBuffer.Sent(body(1), 1_000));
    assertThat(buffer.sent(2)).isNull();
  }

  @Test
  void acknowledgeForgetsEveryRidUpToTheAck() {
    ResponseBuffer buffer = new ResponseBuffer(4);
    buffer.put(1, body(1), 0);
    buffer.put(2, body(2), 0);
    buffer.put(3, body(3), 0);

    buffer.acknowledge(2);

    assertThat(buffer.get(1)).isNull();
    assertThat(buffer.get(2)).isNull();
    assertThat(buffer.get(3)).isEqualTo(body(3));
  }

  @Test
  void acknowledgingMakesRoomBeforeTheCapacityEvicts() {
    ResponseBuffer buffer = new ResponseBuffer(2);
    buffer.put(1, body(1), 0);
    buffer.put(2, body(2), 0);
    buffer.acknowledge(1);
    buffer.put(3, body(3), 0);

    assertThat(buffer.get(2)).isEqualTo(body(2));
    assertThat(buffer.get(3)).isEqualTo(body(3));
  }

  @Test
  void puttingARidAgainReplacesItsResponse() {
    ResponseBuffer buffer = new ResponseBuffer(2);
    buffer.put(1, body(1), 0);
    buffer.put(1, body(9), 5);

    assertThat(buffer.sent(1)).isEqualTo(new ResponseBuffer.Sent(body(9), 5));
  }
}
