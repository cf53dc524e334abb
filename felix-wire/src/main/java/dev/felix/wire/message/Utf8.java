package dev.felix.wire.message;

import java.nio.ByteBuffer;

/** Allocation-free UTF-8 validation for the record walk (header names). */
final class Utf8 {
  private Utf8() {}

  /** True when {@code length} bytes at absolute {@code index} are well-formed UTF-8 (RFC 3629). */
  static boolean isValid(ByteBuffer buffer, int index, int length) {
    int i = index;
    int end = index + length;
    while (i < end) {
      int b = buffer.get(i) & 0xFF;
      if (b < 0x80) {
        i++;
        continue;
      }
      int extra;
      int min;
      if (b >= 0xC2 && b <= 0xDF) {
        extra = 1;
        min = 0x80;
      } else if (b >= 0xE0 && b <= 0xEF) {
        extra = 2;
        min = 0x800;
      } else if (b >= 0xF0 && b <= 0xF4) {
        extra = 3;
        min = 0x10000;
      } else {
        return false;
      }
      if (i + extra >= end) {
        return false;
      }
      int codePoint = b & (0x3F >> extra);
      for (int k = 1; k <= extra; k++) {
        int next = buffer.get(i + k) & 0xFF;
        if ((next & 0xC0) != 0x80) {
          return false;
        }
        codePoint = (codePoint << 6) | (next & 0x3F);
      }
      if (codePoint < min || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
        return false;
      }
      i += extra + 1;
    }
    return true;
  }
}
