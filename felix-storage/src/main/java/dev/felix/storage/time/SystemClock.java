package dev.felix.storage.time;

/** {@link Clock} backed by the JVM's clocks; stateless. */
enum SystemClock implements Clock {
  INSTANCE;

  @Override
  public long epochMillis() {
    return System.currentTimeMillis();
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }
}
