package dev.bindery.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.Test;

class ContentCodingTest {

  private static final byte[] BODY = ("<body xmlns='http://jabber.org/protocol/httpbind'>"
      + "<message><body>" + "hello ".repeat(200) + "</body></message></body>")
      .getBytes(StandardCharsets.UTF_8);

  @Test
  void negotiatesGzipFirstThenDeflateAndHonoursRefusals() {
    assertThat(ContentCoding.negotiate(null)).isNull();
    assertThat(ContentCoding.negotiate("br")).isNull();
    assertThat(ContentCoding.negotiate("deflate, gzip;q=0.5")).isEqualTo("gzip");
    assertThat(ContentCoding.negotiate("deflate")).isEqualTo("deflate");
    assertThat(ContentCoding.negotiate("gzip;q=0, deflate")).isEqualTo("deflate");
    assertThat(ContentCoding.negotiate("GZIP")).isEqualTo("gzip");
  }

  @Test
  void gzipAndDeflateRoundTrip() throws IOException {
    byte[] gzip = ContentCoding.encode(BODY, "gzip").bytes();
    assertThat(new GZIPInputStream(new ByteArrayInputStream(gzip)).readAllBytes()).isEqualTo(BODY);
    assertThat(ContentCoding.decode(gzip, gzip.length, "gzip", BODY.length)).isEqualTo(BODY);

    byte[] deflate = ContentCoding.encode(BODY, "deflate").bytes();
    assertThat(new InflaterInputStream(new ByteArrayInputStream(deflate)).readAllBytes())
        .isEqualTo(BODY);
    assertThat(ContentCoding.decode(deflate, deflate.length, "deflate", BODY.length))
        .isEqualTo(BODY);
  }

  @Test
  void inflatingPastTheLimitStopsAtTheLimit() {
    byte[] bomb = ContentCoding.encode(new byte[10 * 1024 * 1024], "gzip").bytes();
    assertThat(bomb.length).isLessThan(64 * 1024);
    assertThatThrownBy(() -> ContentCoding.decode(bomb, bomb.length, "gzip", 1024 * 1024))
        .isInstanceOf(ContentCoding.TooLarge.class);
  }

  @Test
  void unknownOrCorruptCodingIsRefused() {
    assertThatThrownBy(() -> ContentCoding.decode(BODY, BODY.length, "br", 1 << 20))
        .isInstanceOf(IOException.class).hasMessageContaining("unsupported Content-Encoding");
    assertThatThrownBy(() -> ContentCoding.decode(BODY, BODY.length, "gzip", 1 << 20))
        .isInstanceOf(IOException.class);
  }
}
