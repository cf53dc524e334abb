/**
 * Logs and stores behind the broker: the in-memory and durable segmented logs and the cache store.
 * No network code. Built by the broker and durable storage issues.
 */
package dev.felix.storage;
