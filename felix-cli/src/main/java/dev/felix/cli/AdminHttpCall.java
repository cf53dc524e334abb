package dev.felix.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What every {@code felix admin} HTTP command shares: the broker's HTTP address, the bearer token,
 * and the call. Prints the server's JSON (to stdout on success, stderr otherwise); exit code 0 on
 * success, 1 when the resource does not exist (404), 2 for any other refusal.
 */
abstract class AdminHttpCall implements Callable<Integer> {
  @Option(
      names = "--http",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:8080",
      description = "The broker's HTTP address (default: ${DEFAULT-VALUE}).")
  String http;

  @Option(
      names = "--token",
      paramLabel = "JWT",
      defaultValue = "${env:FELIX_ADMIN_TOKEN}",
      description =
          "Bearer token for a broker with authentication on (default: $FELIX_ADMIN_TOKEN).")
  String token;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  int send(String method, String path, String body) throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://" + http + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null && !token.isBlank()) {
      request.header("Authorization", "Bearer " + token.trim());
    }
    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    boolean ok = response.statusCode() / 100 == 2;
    (ok ? spec.commandLine().getOut() : spec.commandLine().getErr()).println(response.body());
    if (ok) {
      return 0;
    }
    return response.statusCode() == 404 ? 1 : 2;
  }

  /** The resource's path under {@code base} ({@link StreamNames} rules). */
  static String resourcePath(String base, String resource) {
    return StreamNames.of(resource).path(base);
  }

  /** Puts tenant, namespace and name of {@code resource} in a create body. */
  static void putNames(java.util.Map<String, Object> body, String resource) {
    StreamNames.of(resource).putInto(body);
  }
}
