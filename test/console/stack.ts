/** The real local stack (test/e2e harness) with its web console, all on free ports. */
import { startHarness, type Harness } from '../e2e/harness';

export interface ConsoleFixture {
  harness: Harness;
  console: { url: string };
  close(): Promise<void>;
}

export async function startConsoleFixture(): Promise<ConsoleFixture> {
  // Real-time retry schedule: a failed notification waits 15 s, long enough to see it pending.
  const harness = await startHarness({ timeScale: 1, console: 0 });
  if (!harness.stack.consoleUrl) throw new Error('the stack did not start its console');
  return { harness, console: { url: harness.stack.consoleUrl }, close: () => harness.close() };
}
