package dev.felix.storage.durable;

/** How much of the sealed (non-active) segments {@link DurableLog#open} verifies. */
public enum SealedSegmentCheck {
  /**
   * Open reads every sealed segment and checks every batch CRC; the first corrupt batch fails open
   * with a {@link dev.felix.error.StorageException} naming the file and byte position. Start-up
   * time grows with the data on disk.
   */
  EAGER,
  /**
   * Open checks only the index files and the last batches of each sealed segment. A segment's CRCs
   * are checked in full the first time a read touches it; a corrupt segment then fails that read
   * (and every later one) with the same exception, naming file and position. Start-up time stays
   * proportional to the number of segments.
   */
  LAZY
}
