/**
 * Deferred work of the broker behind the {@link dev.felix.broker.time.Scheduler} interface: a
 * thread pool in production, a hand-driven {@link dev.felix.broker.time.ManualScheduler} in tests.
 */
package dev.felix.broker.time;
