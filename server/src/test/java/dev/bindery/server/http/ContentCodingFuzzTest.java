package dev.bindery.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.bindery.protocol.testing.Allocations;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * Coverage-guided fuzzing of {@link ContentCoding#decode} with any bytes as a compressed request
 * body, gzip bombs among the seeds. Properties: it answers the inflated bytes within the limit,
 * {@link ContentCoding.TooLarge} or another {@link IOException} (which the servlet turns into
 * {@code policy-violation} and {@code bad-request}), never an unchecked exception; it never
 * allocates much beyond the limit, however far the input would inflate; and what it inflated,
 * compressed again, inflates to the same bytes.
 */
class ContentCodingFuzzTest {

  private static final int MAX_BYTES = 64 * 1024;
  /** The output buffer at twice the limit, its copy, the 8 KiB read buffer, the inflater. */
  private static final long MAX_ALLOCATED_BYTES = 4L * MAX_BYTES + (256 << 10);
  private static final List<String> CODINGS =
      List.of("gzip", "deflate", "x-gzip", " GZIP ", "identity", "", "br", "compress");

  @FuzzTest
  void inflatesWithinTheLimit(FuzzedDataProvider data) throws IOException {
    String coding = data.pickValue(CODINGS);
    byte[] body = data.consumeRemainingAsBytes();
    byte[] inflated;
    long before = Allocations.current();
    try {
      inflated = ContentCoding.decode(body, body.length, coding, MAX_BYTES);
    } catch (ContentCoding.TooLarge e) {
      assertThat(e.length).isGreaterThan(MAX_BYTES);
      return;
    } catch (IOException e) {
      return; // corrupt data or an unknown coding: bad-request
    } finally {
      long allocated = Allocations.current() - before;
      if (allocated > MAX_ALLOCATED_BYTES + 2L * body.length) {
        assertAllocationBounded(body, coding);
      }
    }
    String c = coding.trim().toLowerCase(Locale.ROOT);
    if (c.equals("gzip") || c.equals("x-gzip") || c.equals("deflate")) {
      assertThat(inflated.length).isLessThanOrEqualTo(MAX_BYTES);
      byte[] again = ContentCoding.encode(inflated, c.equals("deflate") ? "deflate" : "gzip")
          .bytes();
      assertThat(ContentCoding.decode(again, again.length, c, MAX_BYTES)).isEqualTo(inflated);
    } else {
      // identity: the body was read under the limit already
      assertThat(inflated).isEqualTo(body);
    }
  }

  /** Measures a second decode: the first may have loaded classes, which is not its own cost. */
  private static void assertAllocationBounded(byte[] body, String coding) {
    long before = Allocations.current();
    try {
      ContentCoding.decode(body, body.length, coding, MAX_BYTES);
    } catch (IOException e) {
      // the answer was checked the first time
    }
    assertThat(Allocations.current() - before).as("bytes allocated by one decode")
        .isLessThanOrEqualTo(MAX_ALLOCATED_BYTES + 2L * body.length);
  }
}
