package dev.bindery.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import org.junit.jupiter.api.Test;

class RequestBodyReaderTest {

  static final int MAX = 1 << 20;

  /** A body delivered in the chunks a test adds; not ready while none is queued. */
  static final class Chunks extends ServletInputStream {
    final Deque<byte[]> queued = new ArrayDeque<>();
    byte[] current = new byte[0];
    int position;
    boolean finished;

    @Override
    public boolean isFinished() {
      return finished && queued.isEmpty() && position == current.length;
    }

    @Override
    public boolean isReady() {
      return position < current.length || !queued.isEmpty();
    }

    @Override
    public void setReadListener(ReadListener listener) {}

    @Override
    public int read() {
      throw new UnsupportedOperationException();
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (position == current.length) {
        current = queued.poll();
        position = 0;
      }
      int n = Math.min(len, current.length - position);
      System.arraycopy(current, position, b, off, n);
      position += n;
      return n;
    }
  }

  static final class Result implements RequestBodyReader.Sink {
    byte[] body;
    long tooLarge = -1;

    @Override
    public void body(byte[] bytes, int length) {
      body = Arrays.copyOf(bytes, length);
    }

    @Override
    public void tooLarge(long length) {
      tooLarge = length;
    }

    @Override
    public void failed(Throwable cause) {
      throw new AssertionError(cause);
    }
  }

  @Test
  void aLargeDeclaredLengthCostsNothingUntilTheBytesCome() throws Exception {
    // Slowloris with a body: before, every such request took a 1 MiB buffer at once
    Chunks in = new Chunks();
    Result result = new Result();
    RequestBodyReader reader = new RequestBodyReader(in, MAX, MAX, result);
    assertThat(reader.capacity()).isLessThanOrEqualTo(RequestBodyReader.FIRST_BUFFER_BYTES);

    in.queued.add(new byte[] {'<'});
    reader.onDataAvailable();
    assertThat(reader.capacity()).isLessThanOrEqualTo(RequestBodyReader.FIRST_BUFFER_BYTES);

    byte[] rest = new byte[MAX - 1];
    Arrays.fill(rest, (byte) ' ');
    for (int i = 0; i < rest.length; i += 10_000) {
      in.queued.add(Arrays.copyOfRange(rest, i, Math.min(i + 10_000, rest.length)));
    }
    reader.onDataAvailable();
    in.finished = true;
    reader.onAllDataRead();
    assertThat(result.tooLarge).isEqualTo(-1);
    assertThat(result.body).hasSize(MAX).startsWith('<');
  }

  @Test
  void aSmallBodyIsReadIntoOneBufferOfItsSize() throws Exception {
    Chunks in = new Chunks();
    Result result = new Result();
    RequestBodyReader reader = new RequestBodyReader(in, 2000, MAX, result);
    assertThat(reader.capacity()).isEqualTo(2001);
    in.queued.add(new byte[2000]);
    reader.onDataAvailable();
    assertThat(reader.capacity()).isEqualTo(2001);
    in.finished = true;
    reader.onAllDataRead();
    assertThat(result.body).hasSize(2000);
  }

  @Test
  void bytesBeyondTheLimitAreTooLargeWhateverWasDeclared() throws Exception {
    Chunks in = new Chunks();
    Result result = new Result();
    RequestBodyReader reader = new RequestBodyReader(in, 100, 1024, result);
    in.queued.add(new byte[4000]);
    reader.onDataAvailable();
    assertThat(result.tooLarge).isGreaterThan(1024);
    assertThat(result.body).isNull();
  }
}
