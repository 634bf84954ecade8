package dev.bindery.protocol.session;

import static dev.bindery.protocol.session.RequestWindow.Position.BEYOND;
import static dev.bindery.protocol.session.RequestWindow.Position.EARLY;
import static dev.bindery.protocol.session.RequestWindow.Position.NEXT;
import static dev.bindery.protocol.session.RequestWindow.Position.REPEAT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.session.Event.RequestArrived;
import org.junit.jupiter.api.Test;

class RequestWindowTest {

  private static RequestArrived request(long id, long rid) {
    return new RequestArrived(id, Body.builder().rid(rid).build(), 0);
  }

  @Test
  void locatesRidsAroundTheWindow() {
    RequestWindow window = new RequestWindow(100, 3);

    assertThat(window.locate(1)).isEqualTo(REPEAT);
    assertThat(window.locate(100)).isEqualTo(REPEAT);
    assertThat(window.locate(101)).isEqualTo(NEXT);
    assertThat(window.locate(102)).isEqualTo(EARLY);
    assertThat(window.locate(103)).isEqualTo(EARLY);
    assertThat(window.locate(104)).isEqualTo(BEYOND);
    assertThat(window.locate(Long.MAX_VALUE)).isEqualTo(BEYOND);
  }

  @Test
  void advancingMovesTheWindow() {
    RequestWindow window = new RequestWindow(100, 2);
    assertThat(window.lastInOrder()).isEqualTo(100);

    window.advance();

    assertThat(window.lastInOrder()).isEqualTo(101);
    assertThat(window.locate(101)).isEqualTo(REPEAT);
    assertThat(window.locate(102)).isEqualTo(NEXT);
    assertThat(window.locate(103)).isEqualTo(EARLY);
    assertThat(window.locate(104)).isEqualTo(BEYOND);
  }

  @Test
  void sizeBelowOneStillAcceptsTheNextRid() {
    RequestWindow window = new RequestWindow(100, 0);

    assertThat(window.locate(101)).isEqualTo(NEXT);
    assertThat(window.locate(102)).isEqualTo(BEYOND);
  }

  @Test
  void heldBackRequestsComeOutInRidOrder() {
    RequestWindow window = new RequestWindow(100, 4);
    RequestArrived r103 = request(3, 103);
    RequestArrived r102 = request(2, 102);
    assertThat(window.holdBack(103, r103)).isNull();
    assertThat(window.holdBack(102, r102)).isNull();

    assertThat(window.takeNext()).isNull(); // 101 has not come
    window.advance();
    assertThat(window.takeNext()).isSameAs(r102);
    window.advance();
    assertThat(window.takeNext()).isSameAs(r103);
    window.advance();
    assertThat(window.takeNext()).isNull();
  }

  @Test
  void holdingBackTheSameRidAgainReturnsTheOlderRequest() {
    RequestWindow window = new RequestWindow(100, 4);
    RequestArrived first = request(1, 102);
    RequestArrived second = request(2, 102);
    window.holdBack(102, first);

    assertThat(window.holdBack(102, second)).isSameAs(first);
    window.advance();
    assertThat(window.takeNext()).isSameAs(second);
  }

  @Test
  void drainEmptiesTheWindowInRidOrder() {
    RequestWindow window = new RequestWindow(100, 4);
    RequestArrived r104 = request(4, 104);
    RequestArrived r102 = request(2, 102);
    window.holdBack(104, r104);
    window.holdBack(102, r102);

    assertThat(window.drain()).containsExactly(r102, r104);
    assertThat(window.drain()).isEmpty();
  }

  @Test
  void releaseRemovesOneHeldBackRequest() {
    RequestWindow window = new RequestWindow(100, 4);
    RequestArrived r102 = request(2, 102);
    RequestArrived r103 = request(3, 103);
    window.holdBack(102, r102);
    window.holdBack(103, r103);

    assertThat(window.release(102)).isSameAs(r102);
    assertThat(window.release(102)).isNull();
    assertThat(window.isHeldBack(102)).isFalse();
    assertThat(window.drain()).containsExactly(r103);
  }
}
