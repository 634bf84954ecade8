package dev.bindery.server.http;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Thread-safe: stateless. HTTP content codings for BOSH (XEP-0124 §5, §7.2 {@code accept}):
 * {@code gzip} and {@code deflate} responses for clients that accept them, and compressed
 * requests, inflated under the same size limit as plain ones.
 */
final class ContentCoding {

  /** The codings Bindery decompresses, as advertised in {@code accept}. */
  static final String ACCEPT = "gzip,deflate";

  /** Bodies smaller than this are sent as they are: compressing them costs more than it saves. */
  static final int MIN_COMPRESS_BYTES = 512;

  /** A compressed body and its coding. */
  record Encoded(byte[] bytes, String coding) {}

  private ContentCoding() {}

  /** The coding to answer with, from the request's {@code Accept-Encoding}, or null. */
  static String negotiate(String acceptEncoding) {
    if (acceptEncoding == null) {
      return null;
    }
    String best = null;
    for (String part : acceptEncoding.toLowerCase(Locale.ROOT).split(",")) {
      String[] fields = part.trim().split(";");
      String coding = fields[0].trim();
      if (!coding.equals("gzip") && !coding.equals("deflate")) {
        continue;
      }
      if (fields.length > 1 && fields[1].trim().replace(" ", "").matches("q=0(\\.0*)?")) {
        continue; // explicitly refused
      }
      if (best == null || coding.equals("gzip")) {
        best = coding;
      }
    }
    return best;
  }

  /** Compresses {@code body} with {@code coding} ({@code gzip} or {@code deflate}). */
  static Encoded encode(byte[] body, String coding) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 2 + 64);
    try (var compressor = coding.equals("gzip")
        ? new GZIPOutputStream(out)
        : new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION))) {
      compressor.write(body);
    } catch (IOException e) {
      throw new IllegalStateException("in-memory compression failed", e);
    }
    return new Encoded(out.toByteArray(), coding);
  }

  /**
   * Inflates a request body sent with {@code Content-Encoding}; at most {@code maxBytes} come out.
   *
   * @throws TooLarge when the inflated body exceeds {@code maxBytes}
   * @throws IOException when the coding is unknown or the data is corrupt
   */
  static byte[] decode(byte[] body, int length, String coding, int maxBytes) throws IOException {
    String c = coding.trim().toLowerCase(Locale.ROOT);
    if (c.isEmpty() || c.equals("identity")) {
      return Arrays.copyOf(body, length);
    }
    InputStream in;
    ByteArrayInputStream raw = new ByteArrayInputStream(body, 0, length);
    if (c.equals("gzip") || c.equals("x-gzip")) {
      in = new GZIPInputStream(raw);
    } else if (c.equals("deflate")) {
      in = new InflaterInputStream(raw, new Inflater());
    } else {
      throw new IOException("unsupported Content-Encoding: " + coding + " (expected: " + ACCEPT
          + ")");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, length * 4 + 64));
    byte[] buf = new byte[8192];
    try (in) {
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        if (out.size() + n > maxBytes) {
          throw new TooLarge(out.size() + n);
        }
        out.write(buf, 0, n);
      }
    }
    return out.toByteArray();
  }

  /** The inflated body would pass the size limit: a compression bomb, or just too big. */
  static final class TooLarge extends IOException {
    final long length;

    TooLarge(long length) {
      super("inflated body over the limit: " + length + "+ bytes");
      this.length = length;
    }
  }
}
