package dev.felix.cli;

import dev.felix.storage.durable.BatchIterator;
import dev.felix.storage.durable.DumpedBatch;
import dev.felix.storage.durable.DumpedRecord;
import dev.felix.storage.durable.LogInspector;
import dev.felix.storage.durable.LogProblem;
import dev.felix.storage.durable.LogStats;
import dev.felix.storage.durable.VerifyReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code felix log verify|dump|stats PATH}: read-only inspection of one durable log directory (a
 * shard's segment files), for operators and for tests after a crash. Never writes: it is safe on a
 * copy of a data directory and on a stopped broker's files.
 */
@Command(
    name = "log",
    description = "Inspect a durable log directory (segment and index files of one shard).",
    subcommands = {
      LogCommand.Stats.class,
      LogCommand.Verify.class,
      LogCommand.Dump.class,
      CommandLine.HelpCommand.class
    })
final class LogCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static void printStats(PrintWriter out, LogStats stats) {
    out.printf(
        "segments %d, offsets [%d, %d), records %d, segment bytes %d, index bytes %d%n",
        stats.segments(),
        stats.startOffset(),
        stats.endOffset(),
        stats.records(),
        stats.segmentBytes(),
        stats.indexBytes());
    if (stats.firstTimestampMs() >= 0) {
      out.printf(
          "time %s .. %s%n",
          Instant.ofEpochMilli(stats.firstTimestampMs()),
          Instant.ofEpochMilli(stats.maxTimestampMs()));
    }
  }

  @Command(name = "stats", description = "Segments, offsets, records, bytes and time range.")
  static final class Stats implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PATH")
    Path dir;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      printStats(spec.commandLine().getOut(), LogInspector.stats(dir));
      return 0;
    }
  }

  @Command(
      name = "verify",
      description = "Check every batch's CRC and the indexes; exit code 1 when anything is wrong.")
  static final class Verify implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PATH")
    Path dir;

    @Option(
        names = "--index-interval",
        defaultValue = "4096",
        description =
            "Index interval in bytes the log was written with (default: ${DEFAULT-VALUE}).")
    int indexIntervalBytes;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      VerifyReport report = LogInspector.verify(dir, indexIntervalBytes);
      PrintWriter out = spec.commandLine().getOut();
      printStats(out, report.stats());
      out.println("batches checked " + report.batchesChecked());
      for (LogProblem problem : report.problems()) {
        out.printf(
            "PROBLEM %s at %s byte %d: %s%n",
            problem.kind(), problem.file(), problem.position(), problem.detail());
      }
      out.println(report.ok() ? "OK" : report.problems().size() + " problem(s)");
      return report.ok() ? 0 : 1;
    }
  }

  @Command(name = "dump", description = "Print batches and records (offset, time, size, key).")
  static final class Dump implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PATH")
    Path dir;

    @Option(names = "--from", defaultValue = "0", description = "First offset to print.")
    long fromOffset;

    @Option(names = "--limit", defaultValue = "100", description = "Most records to print.")
    long limit;

    @Option(names = "--payload", description = "Also print payloads as UTF-8.")
    boolean payload;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      long printed = 0;
      try (BatchIterator batches = LogInspector.dump(dir, fromOffset)) {
        while (printed < limit && batches.hasNext()) {
          DumpedBatch batch = batches.next();
          out.printf(
              "batch %s @%d base %d records %d bytes %d%s%n",
              batch.segment().getFileName(),
              batch.position(),
              batch.baseOffset(),
              batch.records().size(),
              batch.sizeBytes(),
              batch.producer() == null
                  ? ""
                  : " producer "
                      + batch.producer().producerId()
                      + " seq "
                      + batch.producer().firstSequence()
                      + ".."
                      + batch.producer().lastSequence());
          for (DumpedRecord record : batch.records()) {
            if (record.offset() < fromOffset || printed >= limit) {
              continue;
            }
            printed++;
            out.printf(
                "  offset %d time %s size %d key %s%s%n",
                record.offset(),
                Instant.ofEpochMilli(record.record().timestampMs()),
                record.sizeBytes(),
                record.record().hasKey() ? record.record().key().toUtf8() : "-",
                payload ? " payload " + record.record().payload().toUtf8() : "");
          }
        }
        if (batches.problem().isPresent()) {
          LogProblem problem = batches.problem().get();
          out.printf(
              "PROBLEM %s at %s byte %d: %s%n",
              problem.kind(), problem.file(), problem.position(), problem.detail());
          return 1;
        }
      }
      return 0;
    }
  }
}
