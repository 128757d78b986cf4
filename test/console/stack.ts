/** The real local stack (test/e2e harness) plus a console pointed at it, all on port 0. */
import { startConsole, type ConsoleServer } from '../../emulator/console';
import { startHarness, type Harness } from '../e2e/harness';

export interface ConsoleFixture {
  harness: Harness;
  console: ConsoleServer;
  close(): Promise<void>;
}

export async function startConsoleFixture(): Promise<ConsoleFixture> {
  // Real-time retry schedule: a failed notification waits 15 s, long enough to see it pending.
  const harness = await startHarness({ timeScale: 1 });
  const s = harness.stack;
  const consoleServer = await startConsole({
    port: 0,
    cloudbaseUrl: s.cloudbaseUrl,
    envId: s.envId,
    simulatorUrl: s.simulatorUrl,
    apiV3Key: s.credentials.apiV3Key,
    info: { appid: s.credentials.appid, mchid: s.credentials.mchid },
    pollMs: 150,
  });
  return {
    harness,
    console: consoleServer,
    async close() {
      await consoleServer.close();
      await harness.close();
    },
  };
}
