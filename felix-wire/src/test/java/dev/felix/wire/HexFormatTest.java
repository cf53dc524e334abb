package dev.felix.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

/** The vector file syntax: hex digits, whitespace and {@code #} comments. */
class HexFormatTest {
  @Test
  void parsesDigitsIgnoringWhitespaceAndComments() {
    String text = "# header\n4658 01\t06   # magic, version, type\r\n  # only a comment\nAbCd\n";

    assertThat(HexFormat.parse(text)).containsExactly(0x46, 0x58, 0x01, 0x06, 0xab, 0xcd);
  }

  @Test
  void aCommentRunsToTheEndOfItsLineOnly() {
    assertThat(HexFormat.parse("01 # 02 03\n04")).containsExactly(1, 4);
    assertThat(HexFormat.parse("# ff")).isEmpty();
  }

  @Test
  void formatsLowerCaseWithoutSeparators() {
    assertThat(HexFormat.format(new byte[] {0, 1, (byte) 0xab, (byte) 0xff})).isEqualTo("0001abff");
    assertThat(HexFormat.format(new byte[0])).isEmpty();
  }

  @Test
  void formatAndParseAreInverse() {
    byte[] all = new byte[256];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) i;
    }

    assertThat(HexFormat.parse(HexFormat.format(all))).isEqualTo(all);
  }

  @Test
  void rejectsAnOddDigitCount() {
    assertThatIllegalArgumentException().isThrownBy(() -> HexFormat.parse("abc"));
    assertThatIllegalArgumentException().isThrownBy(() -> HexFormat.parse("a b c # d"));
  }

  @Test
  void rejectsNonHexCharacters() {
    assertThatIllegalArgumentException().isThrownBy(() -> HexFormat.parse("0g"));
    assertThatIllegalArgumentException().isThrownBy(() -> HexFormat.parse("0x01"));
  }
}
