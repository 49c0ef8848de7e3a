package dev.memquota.impl;

import dev.memquota.spi.MemoryQuotaProvider;
import dev.memquota.testkit.MemoryQuotaTrackerContract;

/** The default engine runs the whole conformance suite from the testkit. */
class DefaultProviderContractTest extends MemoryQuotaTrackerContract {
  @Override
  protected MemoryQuotaProvider provider() {
    return new DefaultMemoryQuotaProvider();
  }
}
