package dev.bindery.server.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The test client's XEP-0198 (1.6) bookkeeping, which the failover figures rely on. */
class StreamManagementTest {

  final StreamManagement sm = new StreamManagement();

  /**
   * "The value of 'h' starts at zero at the point stream management is enabled or requested to
   * be enabled (see note below). The value of 'h' is then incremented to one for the first
   * stanza handled and incremented by one again with each subsequent stanza handled."
   */
  @Test
  void answerCountsTheStanzasHandled() {
    sm.handledOne();
    sm.handledOne();

    assertThat(sm.handled()).isEqualTo(2);
    assertThat(Xml.attribute(sm.answer(), "h")).isEqualTo("2");
  }

  /** An {@code <a h/>} acknowledges every stanza up to h; an older, lower one changes nothing. */
  @Test
  void ackForgetsWhatTheServerHandled() {
    sm.sending("<m1/>");
    sm.sending("<m2/>");
    sm.sending("<m3/>");

    sm.acknowledged(2);
    sm.acknowledged(1);

    assertThat(sm.unackedCount()).isEqualTo(1);
  }

  /**
   * "If the former stream is resumed and the server still has the stream for the previously-
   * identified session ID, old stanzas MUST be retransmitted by the server that were not
   * acknowledged by the client" (and likewise the client's): what {@code <resumed h/>} does not
   * cover goes again, in order.
   */
  @Test
  void resumedReturnsWhatTheServerDidNotHandleInOrder() {
    sm.sending("<m1/>");
    sm.sending("<m2/>");
    sm.sending("<m3/>");

    assertThat(sm.resumed(1)).containsExactly("<m2/>", "<m3/>");
    assertThat(sm.unackedCount()).as("kept until acknowledged").isEqualTo(2);
    sm.acknowledged(3);
    assertThat(sm.unackedCount()).isZero();
  }

  @Test
  void ackBeyondWhatWasSentIsAnError() {
    sm.sending("<m1/>");

    assertThatThrownBy(() -> sm.acknowledged(2)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("acknowledged 2 stanzas, only 1 were sent");
  }

  @Test
  void restartResetsTheCountersAndReturnsWhatWasNeverAcknowledged() {
    sm.handledOne();
    sm.sending("<m1/>");
    sm.sending("<m2/>");
    sm.acknowledged(1);

    assertThat(sm.restart()).containsExactly("<m2/>");
    assertThat(sm.handled()).isZero();
    assertThat(sm.unackedCount()).isZero();
  }
}
