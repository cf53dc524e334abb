/** JMH profilers of our own: what an operation costs the whole machine, not only its caller. */
package dev.felix.bench.profile;
