package dev.memquota.impl;

import dev.memquota.Account;
import dev.memquota.IsParticipant;
import dev.memquota.Participation;
import java.lang.System.Logger.Level;
import java.lang.ref.Cleaner;
import java.util.Objects;
import java.util.function.Function;

/**
 * The public face of an {@link AccountRecord}. Each record has exactly one handle; when the handle
 * becomes unreachable without {@link #close()}, the engine's {@link Cleaner} closes the record, so
 * that a forgotten account does not hold quota forever.
 */
final class AccountHandle implements Account {
  private static final System.Logger LOG = System.getLogger("dev.memquota.impl");

  /** One daemon thread for the whole engine; it only closes forgotten accounts. */
  private static final Cleaner CLEANER =
      Cleaner.create(
          r -> {
            Thread t = new Thread(r, "memquota-account-cleaner");
            t.setDaemon(true);
            return t;
          });

  final Registry registry;
  final AccountRecord record;
  private final Cleaner.Cleanable cleanable;

  AccountHandle(Registry registry, AccountRecord record) {
    this.registry = registry;
    this.record = record;
    this.cleanable = CLEANER.register(this, new CloseForgotten(registry, record));
  }

  @Override
  public Account newChild() {
    return new AccountHandle(registry, registry.newAccount(record));
  }

  @Override
  public void addParent(Account parent) {
    registry.addParent(record, of(registry, parent, "addParent").record);
  }

  @Override
  public Participation register(IsParticipant participant) {
    Objects.requireNonNull(participant, "participant");
    return registry.register(record, participant);
  }

  @Override
  public <P extends IsParticipant> P register(
      Function<? super Participation, ? extends P> factory) {
    Objects.requireNonNull(factory, "factory");
    ParticipationRecord participation = registry.register(record, null);
    P participant;
    try {
      participant =
          Objects.requireNonNull(
              factory.apply(participation), "the participant factory returned null");
    } catch (RuntimeException | Error e) {
      participation.close();
      throw e;
    }
    registry.bind(participation, participant);
    return participant;
  }

  @Override
  public boolean isClosed() {
    return record.isClosed();
  }

  @Override
  public void close() {
    registry.closeAccount(record, Closure.ACCOUNT_CLOSED);
    cleanable.clean();
  }

  /** Casts {@code account} to a handle of {@code registry}'s tracker, or says why it is not one. */
  static AccountHandle of(Registry registry, Account account, String operation) {
    Objects.requireNonNull(account, "parent");
    if (account instanceof AccountHandle h && h.registry == registry) {
      return h;
    }
    throw new IllegalArgumentException(
        operation + ": " + account + " belongs to another tracker than " + registry.trackerName);
  }

  @Override
  public String toString() {
    return record.toString();
  }

  /** The cleaning action; must not refer to the handle, or the handle would never be collected. */
  private record CloseForgotten(Registry registry, AccountRecord record) implements Runnable {
    @Override
    public void run() {
      if (registry.closeAccount(record, Closure.ACCOUNT_CLOSED) >= 0) {
        LOG.log(
            Level.DEBUG,
            () -> "memquota: " + record.describe() + " was never closed; closed after its handle"
                + " became unreachable");
      }
    }
  }
}
