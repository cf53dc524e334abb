/**
 * How the broker keeps streams on disk: the directory layout and stream definitions under the data
 * directory, the log of each shard (memory or durable), the storage threads that append to durable
 * logs, and periodic retention. See {@code docs/broker.md} (durable streams) and {@code
 * docs/storage-format.md} (the files of one log).
 */
package dev.felix.broker.storage;
