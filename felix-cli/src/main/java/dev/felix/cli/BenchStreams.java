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
 * Clean-up after a benchmark run on the broker {@code felix bench} started: every run publishes to
 * a stream of its own, and a memory stream left behind stays in the broker's heap, so each later
 * run would pay for collecting the earlier ones (five W1 runs kept 400 MB live), which a peer that
 * keeps nothing (NATS) does not.
 */
final class BenchStreams {
  private BenchStreams() {}

  /**
   * Deletes {@code stream} through the broker's admin API (authentication is off on the bench's
   * broker); a failure is reported on {@code err}, never thrown, since the run's figures stand.
   */
  static void delete(FelixServer broker, StreamRef stream, PrintWriter err) {
    String path =
        "/admin/v1/streams/" + stream.tenant() + "/" + stream.namespace() + "/" + stream.stream();
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + broker.httpAddress().getPort() + path))
            .timeout(Duration.ofSeconds(30))
            .DELETE()
            .build();
    try {
      HttpResponse<Void> response =
          HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding());
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
