package dev.felix.wire;

/**
 * Bounds the decoder checks before it allocates or walks anything. Every length and count read from
 * the wire is compared with the bytes present and with one of these, so a hostile peer can never
 * make a receiver allocate more than {@link #maxFramePayloadBytes} per frame.
 *
 * @param maxFramePayloadBytes largest accepted frame payload; the server announces it in {@code
 *     HelloOk}
 * @param maxRecordsPerBatch most records in one PublishBatch or EventBatch
 * @param maxKeyBytes largest record key or cache key
 * @param maxHeadersPerRecord most headers on one record
 * @param maxTokenBytes largest auth token in {@code Hello}
 * @param maxBatchEntries most entries in a queue ack/nack, a cache multi-get/put or a publish ack
 */
public record WireLimits(
    int maxFramePayloadBytes,
    int maxRecordsPerBatch,
    int maxKeyBytes,
    int maxHeadersPerRecord,
    int maxTokenBytes,
    int maxBatchEntries) {

  /** Hard ceiling for a frame payload: 64 MiB. Configuration may lower it, never raise it. */
  public static final int ABSOLUTE_MAX_FRAME_PAYLOAD_BYTES = 64 * 1024 * 1024;

  /** Defaults: 8 MiB frames, 10,000 records per batch, 4 KiB keys, 64 headers, 16 KiB tokens. */
  public static final WireLimits DEFAULTS =
      new WireLimits(8 * 1024 * 1024, 10_000, 4096, 64, 16 * 1024, 10_000);

  public WireLimits {
    requireRange(
        "maxFramePayloadBytes", maxFramePayloadBytes, 1024, ABSOLUTE_MAX_FRAME_PAYLOAD_BYTES);
    requireRange("maxRecordsPerBatch", maxRecordsPerBatch, 1, 1_000_000);
    requireRange("maxKeyBytes", maxKeyBytes, 1, 0xFFFF);
    requireRange("maxHeadersPerRecord", maxHeadersPerRecord, 0, 0xFFFF);
    requireRange("maxTokenBytes", maxTokenBytes, 0, 0xFFFF);
    requireRange("maxBatchEntries", maxBatchEntries, 1, 1_000_000);
  }

  private static void requireRange(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be between " + min + " and " + max + ", was " + value);
    }
  }
}
