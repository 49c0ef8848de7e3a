package dev.memquota.impl;

import dev.memquota.IsParticipant;
import dev.memquota.Participation;
import dev.memquota.ReclaimRequest;
import dev.memquota.Reclaimed;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongConsumer;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Helpers for the reliability tests (Stress*, Model*, Fault*, Hostile*, Leak*, Soak*). */
final class StressSupport {
  private StressSupport() {}

  /**
   * The engine's java.util.logging logger, held strongly so that a level set on it sticks. Reached
   * reflectively: the engine module does not read {@code java.logging}, but it is in the boot layer
   * as the {@link System.Logger} backend.
   */
  private static final Object ENGINE_LOG;

  private static final Object LEVEL_OFF;

  static {
    try {
      Class<?> logger = Class.forName("java.util.logging.Logger");
      ENGINE_LOG = logger.getMethod("getLogger", String.class).invoke(null, "dev.memquota.impl");
      LEVEL_OFF = Class.forName("java.util.logging.Level").getField("OFF").get(null);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * A participant that reports no data and collapses when asked. Callers must keep it reachable
   * for as long as it should count as alive: the tracker holds it weakly.
   */
  static IsParticipant idle() {
    return new IsParticipant() {
      @Override
      public OptionalLong oldestData() {
        return OptionalLong.empty();
      }

      @Override
      public CompletionStage<Reclaimed> reclaim(ReclaimRequest request) {
        return CompletableFuture.completedFuture(Reclaimed.COLLAPSING);
      }
    };
  }

  /**
   * A partial reclaim over chunks {@code {timestamp, bytes}}, oldest first: releases, through
   * {@code participation}, the chunks stamped at or before {@code request.discardUpTo()} until
   * {@code request.bytesWanted()} bytes are freed.
   *
   * @param released told the size of each chunk released
   * @return the bytes released
   */
  static long releaseOldest(
      ArrayDeque<long[]> chunks,
      ReclaimRequest request,
      Participation participation,
      LongConsumer released) {
    long freed = 0;
    while (!chunks.isEmpty()
        && chunks.peek()[0] <= request.discardUpTo()
        && freed < request.bytesWanted()) {
      long[] c = chunks.poll();
      participation.release(c[1]);
      released.accept(c[1]);
      freed += c[1];
    }
    return freed;
  }

  /** Silences the engine's per-cycle INFO and per-fault WARNING lines (tests make thousands). */
  static void quietEngineLog() {
    setLevel(LEVEL_OFF);
  }

  /** Restores the engine's logging to its configured level. */
  static void restoreEngineLog() {
    setLevel(null);
  }

  private static void setLevel(Object level) {
    try {
      Class<?> levelClass = Class.forName("java.util.logging.Level");
      ENGINE_LOG.getClass().getMethod("setLevel", levelClass).invoke(ENGINE_LOG, level);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs {@code body} on a watchdog-guarded thread: if it has not finished within {@code limit},
   * the test fails with a dump of every thread's stack instead of hanging.
   */
  static <T> T withWatchdog(Duration limit, Callable<T> body) throws Exception {
    ExecutorService runner =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "watched test body");
              t.setDaemon(true);
              return t;
            });
    try {
      Future<T> f = runner.submit(body);
      try {
        return f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        String dump = threadDump();
        f.cancel(true);
        throw new AssertionError("no progress within " + limit + " (deadlock?); threads:\n" + dump);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof Exception ex) {
          throw ex;
        }
        throw (Error) cause;
      }
    } finally {
      runner.shutdownNow();
    }
  }

  /**
   * A dump of all threads, with the locks they hold and wait for, from {@code
   * ThreadMXBean.dumpAllThreads} (reached reflectively: the engine module does not read {@code
   * java.management}); plain stack traces if that is not available.
   */
  static String threadDump() {
    try {
      Object bean =
          Class.forName("java.lang.management.ManagementFactory")
              .getMethod("getThreadMXBean")
              .invoke(null);
      Class<?> beanType = Class.forName("java.lang.management.ThreadMXBean");
      Object[] infos =
          (Object[])
              beanType
                  .getMethod("dumpAllThreads", boolean.class, boolean.class)
                  .invoke(bean, true, true);
      StringBuilder out = new StringBuilder();
      for (Object info : infos) {
        out.append(info);
      }
      long[] deadlocked = (long[]) beanType.getMethod("findDeadlockedThreads").invoke(bean);
      if (deadlocked != null) {
        out.append("DEADLOCKED thread ids: ").append(java.util.Arrays.toString(deadlocked));
      }
      return out.toString();
    } catch (ReflectiveOperationException | RuntimeException e) {
      StringBuilder out = new StringBuilder("(ThreadMXBean unavailable: " + e + ")\n");
      Thread.getAllStackTraces()
          .forEach(
              (t, stack) -> {
                out.append('"').append(t.getName()).append("\" ").append(t.getState()).append('\n');
                for (StackTraceElement el : stack) {
                  out.append("\tat ").append(el).append('\n');
                }
              });
      return out.toString();
    }
  }
}
