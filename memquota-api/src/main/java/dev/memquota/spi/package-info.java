/**
 * The provider SPI: how an engine makes itself available to {@link
 * dev.memquota.MemoryQuotaTracker#create(dev.memquota.QuotaConfig)}.
 *
 * <p>An engine implements {@link dev.memquota.spi.MemoryQuotaProvider} and declares it with {@code
 * provides dev.memquota.spi.MemoryQuotaProvider with ...} in its {@code module-info} and with a
 * {@code META-INF/services} entry for class-path users. Application code never names a provider
 * class.
 */
package dev.memquota.spi;
