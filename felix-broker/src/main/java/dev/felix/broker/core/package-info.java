/**
 * Internals of the broker core (not API; the server uses {@link dev.felix.broker.Broker}): the
 * stream registry, shards with their logs and fan-out, subscriptions with their send queues, and
 * the publish and subscribe paths. Each class comment states which lock or thread owns its state.
 */
package dev.felix.broker.core;
