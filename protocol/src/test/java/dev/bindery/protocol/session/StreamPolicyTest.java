package dev.bindery.protocol.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StreamPolicyTest {

  @Test
  void servesItsDomainsIgnoringCase() {
    StreamPolicy policy = StreamPolicy.serving(Set.of("Example.com", "conference.example.com"));

    assertThat(policy.serves("example.COM")).isTrue();
    assertThat(policy.serves("conference.example.com")).isTrue();
    assertThat(policy.serves("example.net")).isFalse();
    assertThat(policy.serves("sub.example.com")).isFalse();
  }

  /* §16.2: "an opaque and unpredictable name that is unique within the context of the connection manager" */
  @Test
  void streamNamesAreUnpredictableAndDistinct() {
    StreamPolicy policy = StreamPolicy.serving(Set.of("example.com"));
    Set<String> names = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      names.add(policy.newStreamName());
    }

    assertThat(names).hasSize(1_000);
    // 128 random bits, base64url without padding: 22 URL-safe characters
    assertThat(names).allMatch(n -> n.matches("[A-Za-z0-9_-]{22}"));
  }
}
