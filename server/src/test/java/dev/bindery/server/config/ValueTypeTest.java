package dev.bindery.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bindery.server.upstream.Endpoint;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValueTypeTest {

  @Test
  void durationsTakeAUnitOrBareSecondsAndAreWrittenInTheLargestWholeUnit() {
    ValueType<Duration> type = ValueType.duration(Duration.ofMillis(1), Duration.ofMinutes(10));

    assertThat(type.read("1500ms")).isEqualTo(Duration.ofMillis(1500));
    assertThat(type.read(90)).isEqualTo(Duration.ofSeconds(90)); // a YAML number
    assertThat(type.read("2M")).isEqualTo(Duration.ofMinutes(2));
    assertThat(type.write(Duration.ofMinutes(5))).isEqualTo("5m");
    assertThat(type.write(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(type.describe()).isEqualTo("duration, 1ms ~ 10m");
    assertThatThrownBy(() -> type.read("11m"))
        .hasMessage("invalid duration: 11m (expected: 1ms ~ 10m, e.g. 500ms, 30s, 5m)");
  }

  @Test
  void integersArePlainOrGroupedAndWithinTheirRange() {
    ValueType<Integer> type = ValueType.integer(1, 65_535);

    assertThat(type.read("10_000")).isEqualTo(10_000);
    assertThat(type.read(7)).isEqualTo(7);
    assertThat(type.describe()).isEqualTo("integer, 1 ~ 65535");
    assertThat(ValueType.integer(1024, Integer.MAX_VALUE).describe())
        .isEqualTo("integer, >= 1024");
    assertThatThrownBy(() -> type.read("0"))
        .hasMessage("invalid number: 0 (expected: 1 ~ 65535)");
    assertThatThrownBy(() -> type.read(List.of(1, 2))).hasMessage("expected a single value");
  }

  @Test
  void listsAreYamlListsOrSeparatedText() {
    ValueType<List<String>> type = ValueType.list(false);

    assertThat(type.read(List.of("a", " b ", ""))).containsExactly("a", "b");
    assertThat(type.read("[a, b]")).containsExactly("a", "b");
    assertThat(type.read("a,,b")).containsExactly("a", "b");
    assertThat(type.write(List.of("a", "b"))).isEqualTo("a, b");
    assertThatThrownBy(() -> type.read(" ")).hasMessage("empty list");
    assertThatThrownBy(() -> type.read(List.of(List.of("a"))))
        .hasMessage("expected a list of plain values");
    assertThat(ValueType.list(true).read("")).isEmpty();
  }

  @Test
  void theOtherTypesReadWhatTheDocumentationSays() {
    assertThat(ValueType.port(1).read("5222")).isEqualTo(5222);
    assertThatThrownBy(() -> ValueType.port(1).read("0"))
        .hasMessage("invalid port: 0 (expected: 1 ~ 65535)");
    assertThat(ValueType.bool().read("off")).isFalse();
    assertThat(ValueType.bool().read(true)).isTrue();
    assertThat(ValueType.oneOf(List.of("text", "json")).read("JSON")).isEqualTo("json");
    assertThat(ValueType.endpoint().read("[::1]:5222")).isEqualTo(new Endpoint("::1", 5222));
    assertThat(ValueType.endpoints().read(List.of("127.0.0.1:53", "10.0.0.1:53"))).hasSize(2);
    assertThat(ValueType.file().read("")).isNull();
    assertThat(ValueType.file().read("/etc/c.pem")).isEqualTo(Path.of("/etc/c.pem"));
    assertThat(ValueType.httpUri().read("https://a.example/x"))
        .isEqualTo(URI.create("https://a.example/x"));
    assertThat(ValueType.nodeName().read("node-1")).isEqualTo("node-1");
  }

  @Test
  void domainsAreNamesOrMappingsAndAMistakeSaysWhere() {
    ServedDomains d = ValueType.domains().read(List.of("Localhost",
        Map.of("name", "example.com", "tls", "direct")));

    assertThat(d.relayed()).containsExactly("localhost");
    assertThat(d.routes()).hasSize(1);
    assertThat(ValueType.domains().read("a, b").relayed()).containsExactly("a", "b");
    assertThatThrownBy(() -> ValueType.domains().read(List.of("a", "A")))
        .isInstanceOfSatisfying(ValueType.Invalid.class, e -> assertThat(e.at()).isEqualTo("[1]"))
        .hasMessage("domain listed twice: a");
    assertThatThrownBy(() -> ValueType.domains().read(List.of(Map.of("address", "x:1"))))
        .isInstanceOfSatisfying(ValueType.Invalid.class,
            e -> assertThat(e.at()).isEqualTo("[0].name"));
  }
}
