// One timer for all future work (notification attempts, refund completions), keyed on business time,
// so advancing the clock fires whatever became due. close()/clear() drop the timer: nothing keeps
// the process (or jest) alive.
export interface Scheduler {
  /** Run fn once the business clock reaches dueMs. */
  at(dueMs: number, fn: () => unknown): void;
  /** Re-evaluate after the clock moved. */
  rearm(): void;
  /** Drop every queued task (reset). */
  clear(): void;
  /** clear() and refuse new tasks (close). */
  stop(): void;
  pending(): number;
  /** Resolves when nothing runs and no task is due within `horizonMs` of real time (waiting for
   *  those that are). With a large time scale the whole retry schedule fits in the horizon. */
  idle(horizonMs?: number): Promise<void>;
}

interface Task {
  due: number;
  fn: () => unknown;
}

/** afterTask runs once each task has finished (the simulator saves its state there). */
export function createScheduler(now: () => number, afterTask: () => unknown = () => undefined): Scheduler {
  let tasks: Task[] = [];
  let timer: NodeJS.Timeout | undefined;
  const running = new Set<Promise<unknown>>();
  let stopped = false;

  const fire = (): void => {
    timer = undefined;
    const t = now();
    // Start what became due in due-time order (stable for equal times), not insertion order: after a
    // clock jump several tasks fall due at once, and the order they would have run in real time is
    // what the reorder fault and the retry schedule promise.
    const due = tasks.filter((k) => k.due <= t).sort((a, b) => a.due - b.due);
    tasks = tasks.filter((k) => k.due > t);
    for (const task of due) {
      const p = Promise.resolve()
        .then(task.fn)
        .catch(() => undefined) // a task reports its own failures into the log; never crash the timer
        .then(afterTask)
        .catch(() => undefined)
        .finally(() => running.delete(p));
      running.add(p);
    }
    arm();
  };

  const arm = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (stopped || tasks.length === 0) return;
    const next = Math.min(...tasks.map((k) => k.due));
    timer = setTimeout(fire, Math.max(0, Math.min(next - now(), 2 ** 31 - 1)));
    timer.unref();
  };

  return {
    at(dueMs, fn) {
      if (stopped) return;
      tasks.push({ due: dueMs, fn });
      arm();
    },
    rearm: arm,
    clear() {
      tasks = [];
      arm();
    },
    stop() {
      stopped = true;
      tasks = [];
      arm();
    },
    pending: () => tasks.length + running.size,
    async idle(horizonMs = 1000) {
      for (;;) {
        if (tasks.some((k) => k.due <= now())) fire();
        if (running.size > 0) {
          await Promise.all([...running]);
          continue;
        }
        const next = tasks.length ? Math.min(...tasks.map((k) => k.due)) - now() : Infinity;
        if (stopped || next > horizonMs) return;
        await new Promise((r) => setTimeout(r, Math.max(0, next)));
      }
    },
  };
}
