package dev.felix.broker.core;

import dev.felix.broker.BrokerConfig;
import dev.felix.broker.storage.BrokerStorage;
import dev.felix.broker.time.Scheduler;
import dev.felix.storage.time.Clock;

/**
 * What every stream, shard and subscription of one broker shares: settings, time, deferred work and
 * counters. Immutable references to thread-safe objects.
 *
 * @param config validated broker settings
 * @param clock record timestamps and delays
 * @param scheduler batching timers, catch-up steps, publisher wake-ups
 * @param counters broker-wide metrics
 * @param storage shard logs, stream files and the durable append threads
 */
public record BrokerContext(
    BrokerConfig config,
    Clock clock,
    Scheduler scheduler,
    BrokerCounters counters,
    BrokerStorage storage) {}
