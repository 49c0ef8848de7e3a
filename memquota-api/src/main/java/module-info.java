/**
 * The memquota contract: a {@link dev.memquota.MemoryQuotaTracker} keeps the data a server buffers
 * inside a memory quota and, when the quota is exceeded, reclaims the memory of whoever holds the
 * oldest data.
 *
 * <p>This module holds interfaces, value types, exceptions and the provider SPI; it depends on
 * nothing but {@code java.base}. The engine is supplied by a provider module (normally {@code
 * dev.memquota.impl}) found through {@link java.util.ServiceLoader}.
 *
 * @uses dev.memquota.spi.MemoryQuotaProvider
 */
module dev.memquota.api {
  exports dev.memquota;
  exports dev.memquota.spi;

  uses dev.memquota.spi.MemoryQuotaProvider;
}
