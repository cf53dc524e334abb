package dev.felix.cli;

import dev.felix.server.FelixServer;
import dev.felix.wire.message.StreamRef;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Clean-up after a benchmark run: every run publishes to a stream of its own, and a memory stream
 * left behind stays in the broker's heap. On the broker {@code felix bench} started, each later run
 * would pay for collecting the earlier ones (five W1 runs kept 400 MB live), which a peer that
 * keeps nothing (NATS) does not; on a broker someone else runs ({@code --server} with {@code
 * --admin}), the runs' streams would fill its memory-stream budget.
 */
final class BenchStreams {
  private BenchStreams() {}

  /** Deletes {@code stream} from the broker this process started (authentication is off). */
  static void delete(FelixServer broker, StreamRef stream, PrintWriter err) {
    delete("127.0.0.1:" + broker.httpAddress().getPort(), null, stream, err);
  }

  /**
   * Deletes {@code stream} through the admin API at {@code http} (HOST:PORT), with {@code token} as
   * bearer token when not blank; a failure is reported on {@code err}, never thrown, since the
   * run's figures stand.
   */
  static void delete(String http, String token, StreamRef stream, PrintWriter err) {
    String path =
        "/admin/v1/streams/" + stream.tenant() + "/" + stream.namespace() + "/" + stream.stream();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://" + http + path))
            .timeout(Duration.ofSeconds(30))
            .DELETE();
    if (token != null && !token.isBlank()) {
      request.header("Authorization", "Bearer " + token.trim());
    }
    try {
      HttpResponse<Void> response =
          HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() / 100 != 2) {
        err.println(
            "could not delete the run's stream " + path + ": HTTP " + response.statusCode());
      }
    } catch (IOException e) {
      err.println("could not delete the run's stream " + path + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
