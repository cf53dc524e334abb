/**
 * The cache workload (W4 of BENCH.md) against Felix and, with the same load shape, against Redis:
 * preloaded keys, closed-loop client threads mixing gets and puts, latency per operation.
 */
package dev.felix.loadgen.cache;
