package dev.felix.client;

/** Where a {@link FelixClient}'s connection to the broker stands. */
public enum ConnectionState {
  /** Handshake done; publishes and subscriptions flow. */
  CONNECTED,
  /**
   * The server sent GoAway: answers to requests already sent are awaited (at most the server's
   * drain time), new publishes wait in the local queue, then the client reconnects.
   */
  DRAINING,
  /** The connection was lost; the client is reconnecting with back-off. */
  RECONNECTING,
  /** Closed by {@link FelixClient#close()}, or reconnection was disabled or gave up. Terminal. */
  CLOSED
}
