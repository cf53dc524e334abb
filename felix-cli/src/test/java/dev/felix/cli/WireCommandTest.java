package dev.felix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class WireCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine command = new CommandLine(new FelixCommand());
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    return command.execute(args);
  }

  @Test
  void helpListsTheSubCommands() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("version", "wire");
  }

  @Test
  void decodesAValidFrame() {
    int exit = run("wire", "decode", "4658 0103 0000 0000 00000008 00000007 0000000000000001");

    assertThat(exit).isZero();
    assertThat(out.toString()).contains("PING", "requestId  7", "Ping[nonce=1]");
  }

  @Test
  void reportsTheTypedErrorOfAnInvalidFrame() {
    int exit = run("wire", "decode", "4658 0203 0000 0000 00000008 00000007 0000000000000001");

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).contains("UNSUPPORTED_VERSION", "101");
  }

  @Test
  void listsTypesAndErrors() {
    assertThat(run("wire", "types")).isZero();
    assertThat(run("wire", "errors")).isZero();
    assertThat(out.toString()).contains("0x11  PUBLISH_BATCH", "100  MALFORMED_FRAME");
  }
}
