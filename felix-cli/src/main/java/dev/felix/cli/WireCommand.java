package dev.felix.cli;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.wire.Frame;
import dev.felix.wire.FrameCodec;
import dev.felix.wire.HexFormat;
import dev.felix.wire.MessageType;
import dev.felix.wire.WireLimits;
import dev.felix.wire.message.EventBatch;
import dev.felix.wire.message.PublishBatch;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.RecordCursor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Protocol tools: decode a captured frame, list message types and error codes. */
@Command(
    name = "wire",
    description = "Inspect the wire protocol: decode frames, list message types and error codes.",
    subcommands = {WireCommand.Decode.class, WireCommand.Types.class, WireCommand.Errors.class})
final class WireCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "decode",
      description = {
        "Decode one frame given as hex (spaces allowed) or read from a file with @FILE.",
        "Exit code 1 when the bytes are not a valid frame; the error code says why."
      })
  static final class Decode implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "HEX|@FILE", description = "The frame bytes.")
    String input;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      byte[] bytes =
          input.startsWith("@")
              ? Files.readAllBytes(Path.of(input.substring(1)))
              : HexFormat.parse(input);
      try {
        Frame frame = new FrameCodec(WireLimits.DEFAULTS).decode(bytes);
        out.println(
            "type       " + frame.type() + " (0x" + Integer.toHexString(frame.type().code()) + ")");
        out.println("requestId  " + Integer.toUnsignedString(frame.requestId()));
        out.println("message    " + frame.message());
        if (frame.message() instanceof PublishBatch batch) {
          printRecords(out, batch.records(), 0);
        } else if (frame.message() instanceof EventBatch events) {
          printRecords(out, events.records(), events.baseOffset());
        }
        return 0;
      } catch (ProtocolException e) {
        spec.commandLine()
            .getErr()
            .println(
                "invalid frame: " + e.code() + " (" + e.code().code() + "): " + e.getMessage());
        return 1;
      }
    }

    private static void printRecords(PrintWriter out, RecordBatch records, long baseOffset) {
      RecordCursor cursor = records.cursor();
      while (cursor.next()) {
        out.println(
            "  record offset="
                + (baseOffset + cursor.offsetDelta())
                + " timestampMs="
                + cursor.timestampMs()
                + " key="
                + cursor.copyKey()
                + " headers="
                + cursor.headerCount()
                + " payload="
                + cursor.copyPayload());
      }
    }
  }

  @Command(name = "types", description = "List the message types of protocol v1.")
  static final class Types implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      for (MessageType type : MessageType.values()) {
        spec.commandLine().getOut().printf("0x%02x  %s%n", type.code(), type);
      }
    }
  }

  @Command(name = "errors", description = "List the stable error codes.")
  static final class Errors implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      for (ErrorCode code : ErrorCode.values()) {
        spec.commandLine().getOut().printf("%3d  %-22s %s%n", code.code(), code, code.category());
      }
    }
  }
}
