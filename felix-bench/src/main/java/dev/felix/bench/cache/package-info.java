/** JMH benchmarks of the cache store (Caffeine with versions and TTL) against a plain map. */
package dev.felix.bench.cache;
