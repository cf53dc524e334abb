package dev.felix.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/admin-api.openapi.json} documents exactly the routes the server serves: a route
 * missing from the document, or a documented route the server lacks, fails here.
 */
class AdminOpenApiTest {
  private static final Set<String> HTTP_METHODS =
      Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

  @Test
  void theOpenApiDocumentAndTheRouteTableAgree() throws Exception {
    JsonNode document =
        new ObjectMapper()
            .readTree(Files.readString(repositoryRoot().resolve("docs/admin-api.openapi.json")));
    assertThat(document.get("openapi").asText()).startsWith("3.");

    Set<String> documented = new TreeSet<>();
    document
        .get("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        method -> {
                          if (HTTP_METHODS.contains(method)) {
                            documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                          }
                        }));
    Set<String> served = new TreeSet<>();
    for (Route route : AdminRoutes.ALL) {
      served.add(route.method() + " " + route.template());
    }

    assertThat(served).as("routes served but not in the OpenAPI document").isSubsetOf(documented);
    assertThat(documented).as("routes documented but not served").isSubsetOf(served);
  }

  @Test
  void everyDocumentedPathParameterIsDeclared() throws Exception {
    JsonNode paths =
        new ObjectMapper()
            .readTree(Files.readString(repositoryRoot().resolve("docs/admin-api.openapi.json")))
            .get("paths");
    paths
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .properties()
                    .forEach(
                        operation -> {
                          Set<String> declared = new TreeSet<>();
                          operation
                              .getValue()
                              .path("parameters")
                              .forEach(p -> declared.add(p.get("name").asText()));
                          Set<String> inTemplate = new TreeSet<>();
                          for (String segment : path.getKey().split("/", -1)) {
                            if (segment.startsWith("{")) {
                              inTemplate.add(segment.substring(1, segment.length() - 1));
                            }
                          }
                          assertThat(declared)
                              .as(operation.getKey() + " " + path.getKey())
                              .isEqualTo(inTemplate);
                        }));
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("docs/admin-api.openapi.json"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("docs/admin-api.openapi.json not found above the work dir");
    }
    return dir;
  }
}
