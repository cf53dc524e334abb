package dev.felix.client.internal;

import dev.felix.error.FelixException;

/**
 * Parts of the client that follow the connection's life: the publisher sends on the ready session,
 * the subscriptions resume on it. Called on the scheduler thread (or the connecting thread for the
 * first session), in order.
 */
interface SessionObserver {
  /** {@code session} completed its handshake and takes requests. */
  void onSessionReady(Session session, boolean reconnected);

  /** {@code session} got GoAway: no new requests, answers to sent ones still arrive. */
  default void onSessionDraining(Session session) {}

  /** {@code session} is gone; its requests have failed. */
  void onSessionLost(Session session, FelixException cause);
}
