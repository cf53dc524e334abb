package dev.felix.wire;

import static dev.felix.wire.TestFrames.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.error.ErrorCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Resource names: 1-128 characters of {@code [A-Za-z0-9._-]}, not "." or "..". */
class NamesTest {
  @ParameterizedTest
  @ValueSource(
      strings = {"a", "orders", "Orders-2024_v1.0", "...", ".hidden", "a..b", "0", "-", "_"})
  void acceptsNamesFromTheAllowedCharacters(String name) {
    assertThat(Names.isValid(name)).isTrue();
    assertThat(Names.require("stream", name)).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        ".",
        "..",
        "a/b",
        "..\\x",
        "a b",
        "caf\u00e9",
        "tab\t",
        "nul\u0000",
        "semi;colon",
        "star*",
        "a:b",
        "\u00ff"
      })
  void rejectsEverythingElse(String name) {
    assertThat(Names.isValid(name)).isFalse();
    assertRejected(ErrorCode.INVALID_ARGUMENT, () -> Names.require("stream", name));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 127, 128})
  void acceptsUpTo128Characters(int length) {
    assertThat(Names.isValid("x".repeat(length))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(ints = {129, 255, 1000})
  void rejectsLongerNames(int length) {
    assertThat(Names.isValid("x".repeat(length))).isFalse();
    assertRejected(ErrorCode.INVALID_ARGUMENT, () -> Names.require("tenant", "x".repeat(length)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"tenant", "group"})
  void nullIsRejectedAsAnInvalidArgument(String field) {
    assertRejected(ErrorCode.INVALID_ARGUMENT, () -> Names.require(field, null));
  }
}
