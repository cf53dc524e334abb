package dev.felix.server.admin;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One admin route: an HTTP method, a path template whose {@code {name}} segments capture one path
 * segment each, and the operation that answers it.
 */
record Route(String method, String template, Operation operation) {

  /** Answers one matched request. */
  @FunctionalInterface
  interface Operation {
    AdminReply handle(AdminContext context, AdminRequest request);
  }

  /** The captured segments when {@code path} fits the template, whatever the method. */
  Optional<Map<String, String>> match(String path) {
    String[] want = template.split("/", -1);
    String[] got = path.split("/", -1);
    if (want.length != got.length) {
      return Optional.empty();
    }
    Map<String, String> params = new HashMap<>();
    for (int i = 0; i < want.length; i++) {
      if (want[i].startsWith("{") && want[i].endsWith("}")) {
        if (got[i].isEmpty()) {
          return Optional.empty();
        }
        params.put(want[i].substring(1, want[i].length() - 1), got[i]);
      } else if (!want[i].equals(got[i])) {
        return Optional.empty();
      }
    }
    return Optional.of(params);
  }
}
