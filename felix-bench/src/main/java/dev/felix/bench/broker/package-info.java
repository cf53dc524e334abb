/** JMH benchmarks of the broker's publish path, from a decoded batch to the subscribers' sinks. */
package dev.felix.bench.broker;
