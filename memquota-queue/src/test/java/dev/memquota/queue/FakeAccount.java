package dev.memquota.queue;

import dev.memquota.Account;
import dev.memquota.IsParticipant;
import dev.memquota.MemoryQuotaException;
import dev.memquota.Participation;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * An account with one participation that counts claims exactly and can be told to fail them; enough
 * to drive a {@link TrackedQueue} without an engine.
 */
final class FakeAccount implements Account {
  final FakeParticipation participation = new FakeParticipation();
  IsParticipant participant;

  @Override
  public Account newChild() {
    throw new UnsupportedOperationException();
  }

  @Override
  public void addParent(Account parent) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Participation register(IsParticipant p) {
    this.participant = Objects.requireNonNull(p);
    return participation;
  }

  @Override
  public <P extends IsParticipant> P register(Function<? super Participation, ? extends P> factory) {
    P p = Objects.requireNonNull(factory.apply(participation));
    this.participant = p;
    return p;
  }

  @Override
  public boolean isClosed() {
    return participation.closed;
  }

  @Override
  public void close() {
    participation.close();
  }

  /** Counts exactly; release more than held is rejected, as the contract says. */
  static final class FakeParticipation implements Participation {
    final AtomicLong held = new AtomicLong();
    final AtomicLong claims = new AtomicLong();
    final AtomicReference<MemoryQuotaException> failClaimsWith = new AtomicReference<>();
    volatile boolean closed;

    @Override
    public void claim(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("negative " + bytes);
      }
      MemoryQuotaException failure = failClaimsWith.get();
      if (failure != null) {
        throw failure;
      }
      if (closed) {
        throw new IllegalStateException("claim after close: the queue should have stopped");
      }
      held.addAndGet(bytes);
      claims.incrementAndGet();
    }

    @Override
    public void release(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("negative " + bytes);
      }
      if (closed) {
        return;
      }
      long now = held.addAndGet(-bytes);
      if (now < 0) {
        held.addAndGet(bytes);
        throw new IllegalArgumentException("released more than held: " + bytes);
      }
    }

    @Override
    public void close() {
      closed = true;
      held.set(0);
    }
  }
}
