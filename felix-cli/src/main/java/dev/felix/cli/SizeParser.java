package dev.felix.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Parses byte sizes: {@code 1048576}, {@code 512KiB}, {@code 64MiB}, {@code 10GiB}, {@code 1TB}.
 */
final class SizeParser implements CommandLine.ITypeConverter<Long> {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]i?b?|b)?");

  @Override
  public Long convert(String value) {
    return parse(value);
  }

  static long parse(String value) {
    Matcher m = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a size (examples: 1048576, 512MiB, 10GiB)");
    }
    long amount = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2);
    boolean binary = unit.contains("i") || unit.length() == 1;
    long base = binary ? 1024 : 1000;
    int power =
        switch (unit.charAt(0)) {
          case 'k' -> 1;
          case 'm' -> 2;
          case 'g' -> 3;
          case 't' -> 4;
          default -> 0;
        };
    long result = amount;
    for (int i = 0; i < power; i++) {
      result = Math.multiplyExact(result, base);
    }
    return result;
  }
}
