package dev.bindery.loadtest.jmh;

import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyParseException;
import dev.bindery.protocol.body.BodyParser;
import dev.bindery.protocol.body.BodyWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Confined to one JMH thread. The HTTP side's hot path: parsing a client's {@code <body/>}
 * (an empty poll, and one carrying a chat message) and writing a response body.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BodyBenchmark {

  static final String POLL = "<body rid='4168035611830106' sid='4-Np2D03VTywHNrbMYDt4ZUCt-U'"
      + " xmlns='http://jabber.org/protocol/httpbind'/>";
  static final String MESSAGE = "<body rid='4168035611830107' sid='4-Np2D03VTywHNrbMYDt4ZUCt-U'"
      + " xmlns='http://jabber.org/protocol/httpbind'><message xmlns='jabber:client'"
      + " type='chat' id='m17' to='user42@localhost'><body>bindery-loadtest t=123456789012345"
      + " #17</body></message></body>";

  private final BodyParser parser = new BodyParser();
  private byte[] poll;
  private byte[] message;
  private Body response;

  @Setup
  public void setUp() throws BodyParseException {
    poll = POLL.getBytes(StandardCharsets.UTF_8);
    message = MESSAGE.getBytes(StandardCharsets.UTF_8);
    Body parsed = parser.parse(message);
    response = Body.builder().payloads(parsed.payloads()).build();
  }

  @Benchmark
  public Body parseEmptyPoll() throws BodyParseException {
    return parser.parse(poll);
  }

  @Benchmark
  public Body parseMessage() throws BodyParseException {
    return parser.parse(message);
  }

  @Benchmark
  public byte[] writeMessageResponse() {
    return BodyWriter.toBytes(response);
  }
}
