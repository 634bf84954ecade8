package dev.bindery.protocol.body;

import dev.bindery.protocol.xmpp.Stanza;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import javax.xml.namespace.QName;

/**
 * Immutable. A XEP-0124 {@code <body/>} wrapper: its attributes and its payload elements. Built
 * with {@link #builder()}, parsed by {@link BodyParser}, written by {@link BodyWriter}.
 */
public final class Body {

  /** Largest rid a client may use: 2^53 - 1, so JavaScript clients can count exactly (§14.1). */
  public static final long MAX_RID = 9007199254740991L;

  private static final Body EMPTY = new Body(Map.of(), List.of());

  private final Map<QName, String> attributes;
  private final List<Stanza> payloads;

  private Body(Map<QName, String> attributes, List<Stanza> payloads) {
    this.attributes = attributes;
    this.payloads = payloads;
  }

  /** An empty body without attributes. */
  public static Body empty() {
    return EMPTY;
  }

  /** {@code <body type='terminate' condition='…'/>}: a session's end, or a refusal (§17). */
  public static Body terminate(BindingCondition condition) {
    return builder().terminate(condition).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this body's attributes and payloads. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.attributes.putAll(attributes);
    b.payloads.addAll(payloads);
    return b;
  }

  /** All attributes, in document order. */
  public Map<QName, String> attributes() {
    return attributes;
  }

  /** The payload elements, in document order. */
  public List<Stanza> payloads() {
    return payloads;
  }

  public Optional<String> attribute(QName name) {
    return Optional.ofNullable(attributes.get(name));
  }

  public boolean has(QName name) {
    return attributes.containsKey(name);
  }

  /** The {@code rid}, if present and a valid integer in 1..2^53-1. */
  public OptionalLong rid() {
    return unsignedLong(BodyAttribute.RID, 1, MAX_RID);
  }

  public Optional<String> sid() {
    return attribute(BodyAttribute.SID);
  }

  /** True for {@code type='terminate'}. */
  public boolean isTerminate() {
    return "terminate".equals(attributes.get(BodyAttribute.TYPE));
  }

  /** True for {@code xmpp:restart='true'}. */
  public boolean isRestart() {
    return "true".equals(attributes.get(BodyAttribute.XMPP_RESTART));
  }

  /** The binding condition, on a terminal or recoverable response. */
  public Optional<BindingCondition> condition() {
    return attribute(BodyAttribute.CONDITION).flatMap(BindingCondition::fromValue);
  }

  /**
   * The attribute as a non-negative integer within {@code min..max}; empty when absent, not a
   * decimal integer, or out of range.
   */
  public OptionalLong unsignedLong(QName name, long min, long max) {
    String value = attributes.get(name);
    if (value == null || value.isEmpty() || value.length() > 19) {
      return OptionalLong.empty();
    }
    long result = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return OptionalLong.empty();
      }
      result = result * 10 + (c - '0');
      if (result > max) {
        return OptionalLong.empty();
      }
    }
    return result < min ? OptionalLong.empty() : OptionalLong.of(result);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Body other
        && attributes.equals(other.attributes)
        && payloads.equals(other.payloads);
  }

  @Override
  public int hashCode() {
    return attributes.hashCode() * 31 + payloads.hashCode();
  }

  @Override
  public String toString() {
    return "Body{" + attributes + ", payloads=" + payloads + "}";
  }

  /** Not thread-safe. Collects attributes and payloads for one {@link Body}. */
  public static final class Builder {
    private final Map<QName, String> attributes = new LinkedHashMap<>();
    private final List<Stanza> payloads = new ArrayList<>();

    private Builder() {}

    /** Sets an attribute; a null value removes it. */
    public Builder attribute(QName name, String value) {
      if (value == null) {
        attributes.remove(name);
      } else {
        attributes.put(name, value);
      }
      return this;
    }

    public Builder attribute(QName name, long value) {
      return attribute(name, Long.toString(value));
    }

    public Builder rid(long rid) {
      return attribute(BodyAttribute.RID, rid);
    }

    public Builder sid(String sid) {
      return attribute(BodyAttribute.SID, sid);
    }

    /** Marks the body {@code type='terminate'} with a condition (null for a normal end). */
    public Builder terminate(BindingCondition condition) {
      attribute(BodyAttribute.TYPE, "terminate");
      return attribute(BodyAttribute.CONDITION, condition == null ? null : condition.value());
    }

    public Builder payload(Stanza stanza) {
      payloads.add(stanza);
      return this;
    }

    public Builder payloads(List<Stanza> stanzas) {
      payloads.addAll(stanzas);
      return this;
    }

    public Body build() {
      if (attributes.isEmpty() && payloads.isEmpty()) {
        return EMPTY;
      }
      return new Body(Collections.unmodifiableMap(new LinkedHashMap<>(attributes)),
          List.copyOf(payloads));
    }
  }
}
