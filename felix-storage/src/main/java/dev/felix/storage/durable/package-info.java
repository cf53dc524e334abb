/**
 * The durable segmented {@link dev.felix.storage.log.Log}: {@link
 * dev.felix.storage.durable.DurableLog} with its {@link dev.felix.storage.durable.DurableLogConfig}
 * and the shared {@link dev.felix.storage.durable.FlushScheduler}; {@link
 * dev.felix.storage.durable.LogInspector} for tools; and the {@link
 * dev.felix.storage.durable.PositionStore} for consumer positions. Everything else in the package
 * is internal. The on-disk format is specified in {@code docs/storage-format.md}.
 */
package dev.felix.storage.durable;
