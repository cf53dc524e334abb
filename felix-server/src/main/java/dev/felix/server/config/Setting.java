package dev.felix.server.config;

/**
 * One configuration setting: how it is named in the environment and in the YAML file, its default,
 * unit and meaning. {@link Settings#ALL} lists every setting the server reads; {@code
 * docs/configuration.md} documents the same list and a test keeps the two identical.
 *
 * @param envVar environment variable, {@code FELIX_<AREA>_<KEY>}
 * @param yamlKey dotted key in the YAML file ({@code quic.bind} is {@code quic: {bind: ...}})
 * @param defaultValue value used when neither source sets it; null means "unset"
 * @param unit unit of the value, or "" when it has none
 * @param description what it controls, one sentence
 * @param secret true when the value must be masked in logs
 */
public record Setting(
    String envVar,
    String yamlKey,
    String defaultValue,
    String unit,
    String description,
    boolean secret) {

  public Setting {
    if (!envVar.matches("FELIX_[A-Z0-9_]+")) {
      throw new IllegalArgumentException("setting env var must be FELIX_<AREA>_<KEY>: " + envVar);
    }
  }

  static Setting of(
      String envVar, String yamlKey, String defaultValue, String unit, String description) {
    return new Setting(envVar, yamlKey, defaultValue, unit, description, false);
  }

  static Setting secret(String envVar, String yamlKey, String unit, String description) {
    return new Setting(envVar, yamlKey, null, unit, description, true);
  }
}
