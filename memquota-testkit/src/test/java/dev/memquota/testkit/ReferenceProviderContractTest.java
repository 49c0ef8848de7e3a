package dev.memquota.testkit;

import dev.memquota.spi.MemoryQuotaProvider;

/** The full contract passes on the reference engine. */
class ReferenceProviderContractTest extends MemoryQuotaTrackerContract {

  @Override
  protected MemoryQuotaProvider provider() {
    return new ReferenceProvider();
  }
}
