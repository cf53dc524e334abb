package dev.felix.client.internal;

import dev.felix.client.FelixOptions;

/**
 * What every part of one client shares: its options, its threads and its listener.
 *
 * @param options the validated options
 * @param threads the client's scheduler, callback and dispatcher threads
 * @param callbacks the application's listener, on the callback thread
 */
record ClientContext(FelixOptions options, ClientThreads threads, Callbacks callbacks) {
  long requestTimeoutNanos() {
    return options.requestTimeout().toNanos();
  }
}
