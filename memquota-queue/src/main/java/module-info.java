/**
 * The tracked queue: a multi-producer blocking queue whose items are counted against a memquota
 * {@link dev.memquota.Account} and that collapses when the tracker reclaims it.
 *
 * <p>Depends on the memquota API only; any provider (or the no-op tracker) serves it.
 */
module dev.memquota.queue {
  requires transitive dev.memquota.api;

  exports dev.memquota.queue;
}
