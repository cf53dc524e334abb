/**
 * JMH benchmarks of the shard logs: append and read on the durable log, with the memory log on the
 * same workload as the peer.
 */
package dev.felix.bench.storage;
