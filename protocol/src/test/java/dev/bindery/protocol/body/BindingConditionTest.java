package dev.bindery.protocol.body;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BindingConditionTest {

  /** The 'condition' enumeration of the XEP-0124 schema, in schema order. */
  private static Set<String> schemaConditions() throws IOException {
    try (InputStream in = BindingConditionTest.class.getResourceAsStream("/xsd/httpbind.xsd")) {
      String xsd = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      String conditionType = xsd.substring(xsd.indexOf("name='condition'"), xsd.indexOf("name='content'"));
      Set<String> values = new LinkedHashSet<>();
      Matcher m = Pattern.compile("enumeration value='([^']+)'").matcher(conditionType);
      while (m.find()) {
        values.add(m.group(1));
      }
      return values;
    }
  }

  @Test
  void valuesAreExactlyTheSchemaConditions() throws IOException {
    assertThat(Arrays.stream(BindingCondition.values()).map(BindingCondition::value))
        .containsExactlyElementsOf(schemaConditions());
  }

  @Test
  void legacyClientsGetTheDeprecatedHttpCodes() {
    // XEP-0124 §17.1 table: 400 bad-request, 403 policy-violation, 404 item-not-found
    assertThat(BindingCondition.BAD_REQUEST.legacyHttpStatus()).isEqualTo(400);
    assertThat(BindingCondition.POLICY_VIOLATION.legacyHttpStatus()).isEqualTo(403);
    assertThat(BindingCondition.ITEM_NOT_FOUND.legacyHttpStatus()).isEqualTo(404);
  }

  @ParameterizedTest
  @EnumSource(value = BindingCondition.class, mode = EnumSource.Mode.EXCLUDE,
      names = {"BAD_REQUEST", "POLICY_VIOLATION", "ITEM_NOT_FOUND"})
  void conditionsWithoutALegacyCodeSayZero(BindingCondition condition) {
    // "No other HTTP error and status codes were defined in the early versions of BOSH"
    assertThat(condition.legacyHttpStatus()).isZero();
  }

  @ParameterizedTest
  @EnumSource(BindingCondition.class)
  void fromValueFindsEachCondition(BindingCondition condition) {
    assertThat(BindingCondition.fromValue(condition.value())).contains(condition);
    assertThat(condition).hasToString(condition.value());
  }

  @Test
  void fromValueOfAnUnknownConditionIsEmpty() {
    assertThat(BindingCondition.fromValue("no-such-condition")).isEmpty();
    assertThat(BindingCondition.fromValue("BAD-REQUEST")).isEmpty();
    assertThat(BindingCondition.fromValue("BAD_REQUEST")).isEmpty();
    assertThat(BindingCondition.fromValue("")).isEmpty();
    assertThat(BindingCondition.fromValue(null)).isEmpty();
  }
}
