package dev.felix.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/configuration.md} and {@link Settings#ALL} identical: every setting in code has
 * a row with the same YAML key and default, and every documented variable exists in code.
 */
class ConfigurationDocTest {
  private static final Pattern ROW =
      Pattern.compile(
          "^\\|\\s*`(FELIX_[A-Z0-9_]+)`\\s*\\|\\s*`?([^|`]*)`?\\s*\\|\\s*`?([^|`]*)`?\\s*\\|");

  @Test
  void everySettingIsDocumentedAndNothingElse() throws Exception {
    Map<String, String[]> documented = documentedRows();

    Map<String, Setting> inCode = new LinkedHashMap<>();
    Settings.ALL.forEach(setting -> inCode.put(setting.envVar(), setting));
    assertThat(documented.keySet()).containsExactlyInAnyOrderElementsOf(inCode.keySet());
    for (Setting setting : Settings.ALL) {
      String[] row = documented.get(setting.envVar());
      assertThat(row[0]).as("YAML key of " + setting.envVar()).isEqualTo(setting.yamlKey());
      String expectedDefault = setting.defaultValue() == null ? "" : setting.defaultValue();
      assertThat(row[1]).as("default of " + setting.envVar()).isEqualTo(expectedDefault);
    }
  }

  private static Map<String, String[]> documentedRows() throws Exception {
    Path doc = findRepositoryRoot().resolve("docs/configuration.md");
    Map<String, String[]> rows = new LinkedHashMap<>();
    for (String line : Files.readAllLines(doc)) {
      Matcher matcher = ROW.matcher(line);
      if (matcher.find()) {
        String yamlKey = matcher.group(2).trim();
        String defaultValue = matcher.group(3).trim();
        rows.put(
            matcher.group(1),
            new String[] {
              yamlKey.equals("-") ? "" : yamlKey, defaultValue.equals("-") ? "" : defaultValue
            });
      }
    }
    return rows;
  }

  private static Path findRepositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("docs"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("docs/ not found above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
