/**
 * Shard logs: the {@link dev.felix.storage.log.Log} contract the broker programs against, and the
 * bounded in-memory {@link dev.felix.storage.log.MemoryLog}. The durable segmented log will
 * implement the same interface. See {@code docs/broker.md}.
 */
package dev.felix.storage.log;
