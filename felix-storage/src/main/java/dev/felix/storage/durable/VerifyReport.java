package dev.felix.storage.durable;

import java.util.List;

/**
 * Result of {@link LogInspector#verify}: the directory's stats and every problem found.
 *
 * @param stats as {@link LogInspector#stats} would report them
 * @param batchesChecked batches whose CRC was checked
 * @param problems findings, in file order; empty when the log is intact
 */
public record VerifyReport(LogStats stats, long batchesChecked, List<LogProblem> problems) {
  public VerifyReport {
    problems = List.copyOf(problems);
  }

  public boolean ok() {
    return problems.isEmpty();
  }
}
