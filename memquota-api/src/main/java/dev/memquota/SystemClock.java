package dev.memquota;

/** {@link MemoryClock#system()}: a named singleton so that its {@code toString} reads well. */
enum SystemClock implements MemoryClock {
  INSTANCE;

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public String toString() {
    return "MemoryClock.system()";
  }
}
