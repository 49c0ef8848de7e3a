/**
 * The default memquota engine. Exports nothing: applications reach it only through {@link
 * dev.memquota.MemoryQuotaTracker} and {@link java.util.ServiceLoader}.
 *
 * @provides dev.memquota.spi.MemoryQuotaProvider the default engine, named {@code "default"}
 */
@SuppressWarnings("requires-automatic")
module dev.memquota.impl {
  requires dev.memquota.api;
  requires static com.google.auto.service;

  provides dev.memquota.spi.MemoryQuotaProvider with
      dev.memquota.impl.DefaultMemoryQuotaProvider;
}
