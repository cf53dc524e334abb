package dev.felix.cli;

import dev.felix.wire.Names;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code felix admin cursor list|delete STREAM}: the named subscription cursors of a stream, with
 * position and lag per shard; delete resets one (its next subscription starts at its requested
 * start).
 */
@Command(
    name = "cursor",
    description = "List or delete (reset) the named subscription cursors of a stream.",
    subcommands = {
      AdminCursorCommand.ListCursors.class,
      AdminCursorCommand.DeleteCursor.class,
      CommandLine.HelpCommand.class
    })
final class AdminCursorCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "list", description = "The cursors of STREAM with position and lag per shard.")
  static final class ListCursors extends AdminHttpCall {
    @Parameters(index = "0", paramLabel = "STREAM", description = "NAME or TENANT/NAMESPACE/NAME")
    String stream;

    @Override
    public Integer call() throws Exception {
      return send("GET", resourcePath("/admin/v1/streams", stream) + "/cursors", null);
    }
  }

  @Command(name = "delete", description = "Reset cursor NAME of STREAM.")
  static final class DeleteCursor extends AdminHttpCall {
    @Parameters(index = "0", paramLabel = "STREAM", description = "NAME or TENANT/NAMESPACE/NAME")
    String stream;

    @Parameters(index = "1", paramLabel = "NAME", description = "the cursor")
    String cursor;

    @Override
    public Integer call() throws Exception {
      if (!Names.isValid(cursor)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "a cursor name is 1-128 characters of [A-Za-z0-9._-]: " + cursor);
      }
      return send("DELETE", resourcePath("/admin/v1/streams", stream) + "/cursors/" + cursor, null);
    }
  }
}
