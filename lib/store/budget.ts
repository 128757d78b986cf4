/**
 * How the reconciliation timer works through a batch (orders, refunds, unfinished bookkeeping):
 * items taken one after another by `concurrency` workers until the time budget runs out, so one
 * tick never outlives its function timeout; a failed item is counted and logged by the caller and
 * never stops the rest. The next tick resumes where this one stopped.
 */
export interface BudgetedRun<T> {
  now(): number;
  /** Epoch ms after which no new item is started. */
  deadline: number;
  /** Items worked on at once (default 1). */
  concurrency?: number;
  /** Called once per worker that stopped because the budget ran out. */
  onTruncated(): void;
  onFailed(item: T, err: unknown): void;
}

export async function workWithinBudget<T>(items: readonly T[], run: BudgetedRun<T>, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const worker = async (): Promise<void> => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      if (run.now() >= run.deadline) {
        run.onTruncated();
        return;
      }
      try {
        await work(item);
      } catch (err) {
        run.onFailed(item, err);
      }
    }
  };
  await Promise.all(Array.from({ length: run.concurrency ?? 1 }, worker));
}

/** The stable code of an error for the logs (never its message, which may quote data). */
export const errorCode = (err: unknown): string => (err as { code?: string }).code ?? 'UNKNOWN';
