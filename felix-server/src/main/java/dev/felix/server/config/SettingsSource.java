package dev.felix.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Raw setting values from their sources, in precedence order: environment variable, then the YAML
 * file named by {@code FELIX_CONFIG_FILE}, then the setting's default. A YAML key that names no
 * setting is an error (a typo must not silently fall back to a default).
 */
public final class SettingsSource {
  private final Map<String, String> environment;
  private final Map<String, String> yaml;

  private SettingsSource(Map<String, String> environment, Map<String, String> yaml) {
    this.environment = environment;
    this.yaml = yaml;
  }

  /** Reads the YAML file named in {@code environment}, if any. */
  public static SettingsSource load(Map<String, String> environment) {
    String file = environment.get(Settings.CONFIG_FILE.envVar());
    Map<String, String> yaml = file == null || file.isBlank() ? Map.of() : readYaml(Path.of(file));
    Set<String> known =
        Settings.ALL.stream().map(Setting::yamlKey).collect(Collectors.toUnmodifiableSet());
    for (String key : yaml.keySet()) {
      if (!known.contains(key) || key.isEmpty()) {
        throw new ConfigurationException(
            "unknown setting '" + key + "' in " + file + " (see docs/configuration.md)");
      }
    }
    return new SettingsSource(Map.copyOf(environment), yaml);
  }

  /** The effective raw value, or null when unset everywhere. */
  public String raw(Setting setting) {
    String value = environment.get(setting.envVar());
    if (value == null && !setting.yamlKey().isEmpty()) {
      value = yaml.get(setting.yamlKey());
    }
    return value != null ? value.trim() : setting.defaultValue();
  }

  /** Where the effective value came from: "env", "file" or "default". */
  public String origin(Setting setting) {
    if (environment.containsKey(setting.envVar())) {
      return "env";
    }
    return yaml.containsKey(setting.yamlKey()) ? "file" : "default";
  }

  private static Map<String, String> readYaml(Path file) {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
      Map<String, String> flat = new TreeMap<>();
      if (document != null) {
        if (!(document instanceof Map<?, ?> map)) {
          throw new ConfigurationException(file + " must be a YAML mapping of settings");
        }
        flatten("", map, flat);
      }
      return flat;
    } catch (IOException e) {
      throw new ConfigurationException("cannot read FELIX_CONFIG_FILE " + file + ": " + e, e);
    } catch (RuntimeException e) {
      if (e instanceof ConfigurationException) {
        throw e;
      }
      throw new ConfigurationException(
          "FELIX_CONFIG_FILE " + file + " is not valid YAML: " + e.getMessage(), e);
    }
  }

  private static void flatten(String prefix, Map<?, ?> map, Map<String, String> out) {
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String key = prefix + entry.getKey();
      if (entry.getValue() instanceof Map<?, ?> nested) {
        flatten(key + ".", nested, out);
      } else {
        out.put(key, entry.getValue() == null ? "" : String.valueOf(entry.getValue()));
      }
    }
  }

  /** For tests: a source over explicit maps. */
  static SettingsSource of(Map<String, String> environment, Map<String, String> yaml) {
    return new SettingsSource(new HashMap<>(environment), new HashMap<>(yaml));
  }
}
