package dev.felix.broker.time;

import dev.felix.storage.time.ManualClock;
import java.time.Duration;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} for tests: nothing runs until the test calls {@link #runDue()} or {@link
 * #advance}, and then tasks run on the calling thread in due-time order (ties in submission order).
 * Time comes from a {@link ManualClock}, which {@link #advance} moves.
 *
 * <p>Thread-safe: the task queue is guarded by this object's monitor, and tasks run outside it, so
 * a task may schedule more tasks (they run in the same {@code runDue} call when due).
 */
public final class ManualScheduler implements Scheduler {
  private final ManualClock clock;
  private final PriorityQueue<Task> tasks = new PriorityQueue<>();
  private long serial;

  public ManualScheduler(ManualClock clock) {
    this.clock = clock;
  }

  public ManualClock clock() {
    return clock;
  }

  @Override
  public synchronized Cancellable schedule(long delayNanos, Runnable task) {
    Task scheduled = new Task(clock.nanoTime() + Math.max(0, delayNanos), serial++, task);
    tasks.add(scheduled);
    return () -> cancel(scheduled);
  }

  @Override
  public void execute(Runnable task) {
    schedule(0, task);
  }

  private synchronized void cancel(Task task) {
    tasks.remove(task);
  }

  /** Tasks waiting, due or not. */
  public synchronized int pendingTasks() {
    return tasks.size();
  }

  /**
   * Runs every task that is due now, including those that due tasks submit, until none is left.
   *
   * @return how many tasks ran
   */
  public int runDue() {
    int ran = 0;
    Task next;
    while ((next = pollDue()) != null) {
      next.task.run();
      ran++;
    }
    return ran;
  }

  /**
   * Runs the single earliest due task, if any: lets a test interleave its own actions between the
   * broker's deferred steps.
   *
   * @return whether a task ran
   */
  public boolean runOne() {
    Task next = pollDue();
    if (next == null) {
      return false;
    }
    next.task.run();
    return true;
  }

  /** Advances the clock by {@code delta} and runs what became due. */
  public int advance(Duration delta) {
    clock.advance(delta);
    return runDue();
  }

  private synchronized Task pollDue() {
    Task head = tasks.peek();
    return head != null && head.dueNanos <= clock.nanoTime() ? tasks.poll() : null;
  }

  private record Task(long dueNanos, long serial, Runnable task) implements Comparable<Task> {
    @Override
    public int compareTo(Task other) {
      int byTime = Long.compare(dueNanos, other.dueNanos);
      return byTime != 0 ? byTime : Long.compare(serial, other.serial);
    }
  }
}
