package dev.felix.server.config;

/**
 * The configuration is invalid. The message always names the setting (environment variable and YAML
 * key) and says what is wrong, because it is the first thing an operator reads.
 */
public final class ConfigurationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigurationException(String message) {
    super(message);
  }

  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }

  static ConfigurationException invalid(Setting setting, String value, String why) {
    return new ConfigurationException(
        setting.envVar()
            + " ("
            + setting.yamlKey()
            + ") "
            + why
            + ": '"
            + (setting.secret() ? "***" : value)
            + "'");
  }
}
