package dev.felix.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonFieldsTest {
  @Test
  void stringsAreQuotedWithQuotesBackslashesAndControlCharactersEscaped() {
    assertThat(JsonFields.string("LIMIT_EXCEEDED: \"a\\b\"\n\tend"))
        .isEqualTo("\"LIMIT_EXCEEDED: \\\"a\\\\b\\\"\\u000a\\u0009end\"");
    assertThat(JsonFields.string(null)).isEqualTo("null");
  }

  @Test
  void unknownFiguresAreNull() {
    assertThat(JsonFields.number(Double.NaN)).isEqualTo("null");
    assertThat(JsonFields.number(12.345)).isEqualTo("12.35");
    assertThat(JsonFields.fraction(0.01234)).isEqualTo("0.0123");
  }
}
