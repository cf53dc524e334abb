package dev.felix.wire;

/** Protocol versions this build speaks. */
public final class ProtocolVersion {
  /** The version written in every frame header and offered in {@code Hello}. */
  public static final int CURRENT = 1;

  private ProtocolVersion() {}
}
