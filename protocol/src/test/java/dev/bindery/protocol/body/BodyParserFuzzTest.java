package dev.bindery.protocol.body;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.bindery.protocol.testing.Allocations;
import dev.bindery.protocol.testing.XmlTree;
import dev.bindery.protocol.xmpp.Stanza;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import javax.xml.namespace.QName;

/**
 * Coverage-guided fuzzing of {@link BodyParser} with any bytes as a request body, under small
 * limits so that every limit is in the fuzzer's reach. Properties: the parser answers a body or a
 * {@link BodyParseException} whose condition is {@code bad-request} or {@code policy-violation},
 * and throws nothing else; a body it accepts is within every limit; what {@link BodyWriter}
 * writes for it is well-formed and parses back to the same value; one parse allocates a bounded
 * amount. The corpus replays in every build; {@code .ci/fuzz} runs it in fuzzing mode.
 */
class BodyParserFuzzTest {

  private static final BodyLimits LIMITS = new BodyLimits(2048, 8, 256, 8, 4);
  private static final BodyParser PARSER = new BodyParser(LIMITS);
  /** Re-reads the writer's output, which escaping may make longer than the input. */
  private static final BodyParser ROOMY = new BodyParser(new BodyLimits(
      BodyLimits.DEFAULT_MAX_BYTES, LIMITS.maxDepth(), LIMITS.maxAttributeLength(),
      LIMITS.maxAttributes(), LIMITS.maxPayloads()));
  private static final Set<BindingCondition> CONDITIONS =
      Set.of(BindingCondition.BAD_REQUEST, BindingCondition.POLICY_VIOLATION);
  /**
   * Most a parse of a body within {@link #LIMITS} may allocate: Woodstox's buffers and symbol
   * tables, the stanza text, and a wide margin; far below what an unbounded read would take.
   */
  private static final long MAX_ALLOCATED_BYTES = 4L << 20;

  @FuzzTest
  void parsesToABodyOrACondition(byte[] input) throws BodyParseException {
    Body body;
    long before = Allocations.current();
    try {
      body = PARSER.parse(input);
    } catch (BodyParseException e) {
      assertThat(e.condition()).as(e.getMessage()).isIn(CONDITIONS);
      if (input.length > LIMITS.maxBytes()) {
        assertThat(e.condition()).isEqualTo(BindingCondition.POLICY_VIOLATION);
      }
      return;
    } finally {
      if (Allocations.current() - before >= MAX_ALLOCATED_BYTES) {
        assertAllocationBounded(input);
      }
    }
    assertThat(input.length).isBetween(1, LIMITS.maxBytes());
    assertThat(body.payloads()).hasSizeLessThanOrEqualTo(LIMITS.maxPayloads());
    assertThat(body.attributes()).hasSizeLessThanOrEqualTo(LIMITS.maxAttributes());
    for (Map.Entry<QName, String> a : body.attributes().entrySet()) {
      assertThat(a.getValue().length()).as("%s", a.getKey())
          .isLessThanOrEqualTo(LIMITS.maxAttributeLength());
    }

    String written = BodyWriter.toXml(body);
    XmlTree.parseUtf8(written); // well-formed as UTF-8 bytes, as the server reads it
    for (Stanza s : body.payloads()) {
      XmlTree.parseUtf8(s.xml()); // each payload is self-contained
    }
    assertSameValue(ROOMY.parse(written.getBytes(StandardCharsets.UTF_8)), body, written);
  }

  /**
   * Equal attributes, and payloads equal as parsed XML: a payload's text may declare a namespace
   * in another place the second time (a prefix the body bound is declared on the payload), which
   * means the same.
   */
  private static void assertSameValue(Body actual, Body expected, String written) {
    assertThat(actual.attributes()).as(written).isEqualTo(expected.attributes());
    assertThat(actual.payloads()).as(written).hasSameSizeAs(expected.payloads());
    for (int i = 0; i < expected.payloads().size(); i++) {
      Stanza a = actual.payloads().get(i);
      Stanza e = expected.payloads().get(i);
      assertThat(a.namespace()).as(written).isEqualTo(e.namespace());
      assertThat(a.localName()).as(written).isEqualTo(e.localName());
      assertThat(XmlTree.parseUtf8(a.xml())).as(written).isEqualTo(XmlTree.parseUtf8(e.xml()));
    }
  }

  /**
   * Parses again and measures: the first parse of an input may have loaded and instrumented
   * classes (an exception, a Woodstox error path), which is not the parser's own cost.
   */
  private static void assertAllocationBounded(byte[] input) {
    long before = Allocations.current();
    try {
      PARSER.parse(input);
    } catch (BodyParseException e) {
      // the answer was checked on the first parse
    }
    assertThat(Allocations.current() - before).as("bytes allocated by one parse")
        .isLessThan(MAX_ALLOCATED_BYTES);
  }
}
