package dev.felix.client;

import dev.felix.client.internal.ClientImpl;

/**
 * The front door: connects a {@link FelixClient} to a Felix broker.
 *
 * <pre>{@code
 * FelixClient client = Felix.connect(FelixOptions.builder()
 *     .serverAddress("broker.example:5000")
 *     .caFile(Path.of("ca.pem"))
 *     .build());
 * }</pre>
 */
public final class Felix {
  private Felix() {}

  /**
   * Connects and completes the protocol handshake (Hello / HelloOk) before returning. The first
   * connection is not retried: a broker that is not reachable fails here, so that misconfiguration
   * surfaces at once. Later losses are handled by the {@link ReconnectPolicy}.
   *
   * @param options validated client options
   * @return the connected client; close it to release its threads
   * @throws dev.felix.error.AuthException when TLS verification fails or the server refuses the
   *     credentials ({@code UNAUTHENTICATED}, {@code PERMISSION_DENIED})
   * @throws dev.felix.error.UnavailableException when the broker cannot be reached in time
   * @throws dev.felix.error.FelixException with the server's error code for any other refusal
   */
  public static FelixClient connect(FelixOptions options) {
    return ClientImpl.connect(options);
  }

  /**
   * Connects to {@code serverAddress} ({@code host:port}) with every other option at its default.
   *
   * @param serverAddress {@code host:port}, e.g. {@code 127.0.0.1:5000}
   * @return the connected client
   * @see #connect(FelixOptions)
   */
  public static FelixClient connect(String serverAddress) {
    return connect(FelixOptions.builder().serverAddress(serverAddress).build());
  }
}
