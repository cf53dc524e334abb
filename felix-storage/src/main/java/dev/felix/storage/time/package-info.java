/**
 * Injected time: {@link dev.felix.storage.time.Clock} and the {@link
 * dev.felix.storage.time.ManualClock} that tests use instead of sleeping.
 */
package dev.felix.storage.time;
