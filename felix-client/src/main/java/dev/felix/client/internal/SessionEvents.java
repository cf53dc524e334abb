package dev.felix.client.internal;

import dev.felix.error.FelixException;
import dev.felix.wire.message.GoAway;

/**
 * What a {@link Session} reports to its owner. Called on the connection's event loop: must not
 * block, so implementations hand work to the scheduler.
 */
interface SessionEvents {
  /** The server asked the client to leave (protocol section 5.4). */
  void onGoAway(Session session, GoAway goAway);

  /** The connection closed; every waiting request has already failed with {@code cause}. */
  void onClosed(Session session, FelixException cause);

  /** The control stream can take frames again after back-pressure. */
  void onWritable(Session session);
}
