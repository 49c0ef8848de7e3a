package dev.memquota.impl;

import dev.memquota.QuotaConfig;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The single owner of all byte arithmetic: the tracker's total and every participation's counts.
 *
 * <h2>Implementation notes</h2>
 *
 * Each participation keeps its counts in one {@code long} <em>state word</em>, changed only by
 * compare-and-set:
 *
 * <pre>
 *   bit 63      : 1 = closed; then bits 0..7 hold the {@link Closure} ordinal
 *   bits 16..62 : used  - bytes the participant has claimed and not released (47 bits)
 *   bits 0..15  : cache - bytes taken from the tracker's total but not yet claimed (at most 16 KiB)
 * </pre>
 *
 * Keeping both counts and the closed flag in one word makes every operation on a participation
 * linearizable with a single CAS and no lock: a claim that fits in the cache moves bytes from
 * {@code cache} to {@code used}; a release that keeps the cache at or under {@link #CACHE_MAX}
 * moves them back. Only when the cache runs dry (claim) or overflows (release) does the operation
 * touch the shared {@link #total}: a claim refills the cache to {@link #REFILL}, a release returns
 * quota down to {@link #RETAIN}. So the total is written about once per 8-12 KiB of net claims or
 * releases per participation, and the total exceeds the sum of {@code used} by at most {@link
 * #CACHE_MAX} per open participation.
 *
 * <p>Order of updates, so that the total never under-counts: a claim adds to the total
 * <em>before</em> its CAS (and takes it back if the CAS loses a race); a release or teardown
 * subtracts <em>after</em> its CAS. The total is therefore exact when no operation is in flight,
 * and otherwise over-estimates by what is in flight.
 *
 * <p>Overflow: {@code used} is limited to 2<sup>47</sup>-1 bytes (128 TiB) per participation and
 * the total to {@link Long#MAX_VALUE}; a claim beyond either is rejected before anything changes.
 */
final class Ledger {
  /** Largest cache a participation keeps: 16 KiB, as in the reference. */
  static final long CACHE_MAX = 16 * 1024;

  /** What a claim that had to go to the tracker leaves in the cache: 3/4 of {@link #CACHE_MAX}. */
  static final long REFILL = CACHE_MAX * 3 / 4;

  /** What a release that overflowed the cache leaves in it: 1/4 of {@link #CACHE_MAX}. */
  static final long RETAIN = CACHE_MAX / 4;

  private static final int USED_SHIFT = 16;
  private static final long CACHE_MASK = (1L << USED_SHIFT) - 1;

  /** Largest {@code used} a participation can hold. */
  static final long USED_MAX = Long.MAX_VALUE >>> USED_SHIFT;

  /** The state word of a new participation: nothing used, nothing cached. */
  static final long EMPTY = 0L;

  private static final VarHandle STATE;

  static {
    try {
      STATE =
          MethodHandles.lookup().findVarHandle(ParticipationRecord.class, "state", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final AtomicLong total = new AtomicLong();
  private volatile QuotaConfig config;
  private final Runnable onOverMax;

  /**
   * @param config the initial quota
   * @param onOverMax called (on the claiming thread, without locks) when a claim leaves the total
   *     above the maximum; must be cheap and must not throw
   */
  Ledger(QuotaConfig config, Runnable onOverMax) {
    this.config = config;
    this.onOverMax = onOverMax;
  }

  long total() {
    return total.get();
  }

  QuotaConfig config() {
    return config;
  }

  void setConfig(QuotaConfig config) {
    this.config = config;
  }

  boolean overMax() {
    return total.get() > config.maxBytes();
  }

  /**
   * Claim: {@code used += bytes}, from the cache if it holds enough, else from the total.
   *
   * <p>Correctness: one successful CAS per claim; the total grows by exactly what the cache could
   * not cover plus the refill, and grows before the CAS so that it never under-counts.
   */
  void claim(ParticipationRecord p, long bytes) {
    if (bytes <= 0) {
      if (bytes == 0) {
        return;
      }
      throw new IllegalArgumentException("claim(" + bytes + "): bytes must be >= 0");
    }
    for (; ; ) {
      long s = (long) STATE.getVolatile(p);
      if (s < 0) {
        throw p.closedException(Closure.ofStateWord(s));
      }
      long cache = cache(s);
      long used = used(s);
      if (bytes > USED_MAX - used) {
        throw new IllegalArgumentException(
            "claim("
                + bytes
                + "): "
                + p.describe()
                + " already holds "
                + used
                + " bytes; the claim would exceed its limit of "
                + USED_MAX
                + " bytes");
      }
      if (bytes <= cache) {
        if (STATE.compareAndSet(p, s, pack(used + bytes, cache - bytes))) {
          return;
        }
        continue;
      }
      long delta = bytes - cache + REFILL;
      long newTotal = addToTotal(delta, bytes);
      if (STATE.compareAndSet(p, s, pack(used + bytes, REFILL))) {
        if (newTotal > config.maxBytes()) {
          onOverMax.run();
        }
        return;
      }
      total.addAndGet(-delta);
    }
  }

  /**
   * Release: {@code used -= bytes}, into the cache, returning quota to the total when the cache
   * would exceed {@link #CACHE_MAX}. Does nothing on a closed participation.
   *
   * <p>Correctness: one successful CAS per release; the total shrinks only after the CAS, by exactly
   * what left the cache.
   */
  void release(ParticipationRecord p, long bytes) {
    if (bytes <= 0) {
      if (bytes == 0) {
        return;
      }
      throw new IllegalArgumentException("release(" + bytes + "): bytes must be >= 0");
    }
    for (; ; ) {
      long s = (long) STATE.getVolatile(p);
      if (s < 0) {
        return;
      }
      long cache = cache(s);
      long used = used(s);
      if (bytes > used) {
        throw new IllegalArgumentException(
            "release(" + bytes + "): " + p.describe() + " holds only " + used + " bytes");
      }
      long newCache = cache + bytes;
      if (newCache <= CACHE_MAX) {
        if (STATE.compareAndSet(p, s, pack(used - bytes, newCache))) {
          return;
        }
        continue;
      }
      if (STATE.compareAndSet(p, s, pack(used - bytes, RETAIN))) {
        total.addAndGet(-(newCache - RETAIN));
        return;
      }
    }
  }

  /**
   * Tear down: closes the participation for {@code why} and takes everything it held, used and
   * cached, off the total.
   *
   * <p>Correctness: the CAS from an open word to a closed one happens once; a concurrent claim
   * that reserved total before it then loses its CAS and takes its reservation back.
   *
   * @return the bytes removed from the total, or -1 if the participation was already closed
   */
  long tearDown(ParticipationRecord p, Closure why) {
    for (; ; ) {
      long s = (long) STATE.getVolatile(p);
      if (s < 0) {
        return -1;
      }
      if (STATE.compareAndSet(p, s, why.stateWord())) {
        long held = used(s) + cache(s);
        total.addAndGet(-held);
        return held;
      }
    }
  }

  /** Bytes the participant has claimed; 0 once closed. Racy under concurrent use, exact at rest. */
  static long used(ParticipationRecord p) {
    long s = (long) STATE.getVolatile(p);
    return s < 0 ? 0 : used(s);
  }

  /** Bytes the participation holds of the total (used + cache); 0 once closed. */
  static long held(ParticipationRecord p) {
    long s = (long) STATE.getVolatile(p);
    return s < 0 ? 0 : used(s) + cache(s);
  }

  static boolean isClosed(ParticipationRecord p) {
    return (long) STATE.getVolatile(p) < 0;
  }

  /** Why the participation was closed; {@code null} while it is open. */
  static Closure closure(ParticipationRecord p) {
    long s = (long) STATE.getVolatile(p);
    return s < 0 ? Closure.ofStateWord(s) : null;
  }

  private long addToTotal(long delta, long claimed) {
    for (; ; ) {
      long t = total.get();
      long nt;
      try {
        nt = Math.addExact(t, delta);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException(
            "claim(" + claimed + "): would overflow the tracker's total of " + t + " bytes", e);
      }
      if (total.compareAndSet(t, nt)) {
        return nt;
      }
    }
  }

  private static long used(long s) {
    return s >>> USED_SHIFT;
  }

  private static long cache(long s) {
    return s & CACHE_MASK;
  }

  private static long pack(long used, long cache) {
    assert used >= 0 && used <= USED_MAX : used;
    assert cache >= 0 && cache <= CACHE_MAX : cache;
    return (used << USED_SHIFT) | cache;
  }
}
