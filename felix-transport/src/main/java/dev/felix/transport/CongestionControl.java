package dev.felix.transport;

/**
 * Congestion controller used by quiche for every connection of an endpoint. CUBIC is the default:
 * on loopback and the test machines BBR and Reno showed no gain over it (QUIC-NOTES).
 */
public enum CongestionControl {
  CUBIC,
  RENO,
  BBR
}
