package dev.felix.cli;

import picocli.CommandLine.Command;

/** {@code felix admin cluster}: the broker's region, server id, versions and metadata state. */
@Command(
    name = "cluster",
    description = "Show the broker's region, server id, version and metadata store state.")
final class AdminClusterCommand extends AdminHttpCall {
  @Override
  public Integer call() throws Exception {
    return send("GET", "/admin/v1/cluster", null);
  }
}
