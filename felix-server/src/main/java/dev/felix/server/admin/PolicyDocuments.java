package dev.felix.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.felix.server.security.PolicyParser;
import dev.felix.server.security.PolicySnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Access policies as JSON documents: one per tenant, the structure of one tenant of a policy file
 * ({@code roles}, {@code bindings}). They are checked and compiled by the same {@link PolicyParser}
 * as the file, so the API and the file can never accept different rules. Stateless.
 */
final class PolicyDocuments {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PolicyDocuments() {}

  /**
   * The policy made of every tenant's document.
   *
   * @throws IllegalArgumentException when a document is invalid
   */
  static PolicySnapshot snapshot(Map<String, JsonNode> documents) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode tenants = root.putObject("tenants");
    documents.forEach(tenants::set);
    try {
      return PolicyParser.parse(JSON.writeValueAsString(root));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("policy not serializable: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Checks one tenant's document, refusing with the field at fault: the parser's location within
   * the document, e.g. {@code roles.writer[0].actions}.
   */
  static void validate(String tenant, JsonNode document) {
    if (document == null || !document.isObject()) {
      throw AdminError.invalid("body", "must be a JSON object with roles and bindings");
    }
    try {
      snapshot(Map.of(tenant, document));
    } catch (IllegalArgumentException e) {
      String message = String.valueOf(e.getMessage());
      String prefix = "tenants." + tenant;
      int colon = message.indexOf(": ");
      String where = colon < 0 ? prefix : message.substring(0, colon);
      String field = where.startsWith(prefix + ".") ? where.substring(prefix.length() + 1) : "body";
      String reason = colon < 0 ? message : message.substring(colon + 2);
      throw AdminError.invalid(field, reason);
    }
  }

  /**
   * Every tenant's part of the policy file as the file reads now (what is in force, unless the last
   * edit was rejected), sorted by tenant.
   */
  static SortedMap<String, JsonNode> fromFile(Path file) {
    Object root;
    try {
      root =
          new Yaml(new SafeConstructor(new LoaderOptions()))
              .load(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read policy file " + file, e);
    }
    SortedMap<String, JsonNode> documents = new TreeMap<>();
    if (root == null) {
      return documents;
    }
    JSON.valueToTree(root)
        .path("tenants")
        .properties()
        .forEach(
            entry ->
                documents.put(
                    entry.getKey(),
                    entry.getValue().isNull() ? JSON.createObjectNode() : entry.getValue()));
    return documents;
  }
}
