package dev.felix.storage.cache;

import dev.felix.wire.Bytes;
import dev.felix.wire.message.CacheChange;

/**
 * Receives the changes of the keys of one cache that start with {@link #prefix()}. The store calls
 * {@link #onChange} inside the changed key's atomic update, so a key's changes arrive in version
 * order, and before a reader can see the new state.
 *
 * <p>Implementations must not block and must be quick: the key stays locked meanwhile, and the
 * caller is a writer (often a transport event loop). They queue the change and send it elsewhere.
 */
public interface CacheWatcher {
  /** Keys starting with these bytes are watched (empty: every key). */
  Bytes prefix();

  /** One change of a watched key (PUT, DELETE, EXPIRED or EVICTED). */
  void onChange(CacheChange change);

  /** True when {@code key} starts with {@code prefix}. */
  static boolean matches(Bytes key, Bytes prefix) {
    if (prefix.length() > key.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (key.byteAt(i) != prefix.byteAt(i)) {
        return false;
      }
    }
    return true;
  }
}
