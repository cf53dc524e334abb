package dev.felix.client.internal;

/**
 * A parsed {@code host:port}: {@code 127.0.0.1:5000}, {@code broker.example:5000}, or {@code
 * [::1]:5000} for IPv6 literals. Used for the configured address and GoAway redirects.
 *
 * @param host host name or IP literal (without brackets)
 * @param port UDP port, 1..65535
 */
public record ServerAddress(String host, int port) {

  /**
   * Parses {@code text}.
   *
   * @param setting the option or field the text came from, for the error message
   * @param text {@code host:port}
   * @return the address
   * @throws IllegalArgumentException naming {@code setting} when the text is not {@code host:port}
   */
  public static ServerAddress parse(String setting, String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(setting + " must be host:port, was empty");
    }
    String trimmed = text.strip();
    int colon = trimmed.lastIndexOf(':');
    if (colon <= 0 || colon == trimmed.length() - 1) {
      throw new IllegalArgumentException(setting + " must be host:port, was '" + text + "'");
    }
    String host = trimmed.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw new IllegalArgumentException(
          setting + ": write IPv6 addresses in brackets, e.g. [::1]:5000; was '" + text + "'");
    }
    int port;
    try {
      port = Integer.parseInt(trimmed.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(setting + " has a bad port: '" + text + "'", e);
    }
    if (host.isEmpty() || port < 1 || port > 65_535) {
      throw new IllegalArgumentException(setting + " must be host:port (1-65535): '" + text + "'");
    }
    return new ServerAddress(host, port);
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
