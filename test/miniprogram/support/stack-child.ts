// Runs the real local stack (scripts/local/stack.ts) in a child process for the mini-program tests:
// the jsdom test environment cannot load esbuild, and the stack builds the functions with it.
// argv: <dataDir> [JSON {functionEnv, routes}]. Prints one JSON line {cloudbaseUrl, simulatorUrl,
// appid} when ready; closes the stack when stdin ends.
import { startLocalStack } from '../../../scripts/local/stack';

async function main(): Promise<void> {
  const [dataDir, extra] = process.argv.slice(2);
  if (!dataDir) throw new Error('usage: stack-child.ts <dataDir> [{"functionEnv":{…},"routes":{…}}]');
  const { functionEnv, routes } = extra ? (JSON.parse(extra) as { functionEnv?: Record<string, string>; routes?: Record<string, string> }) : {};
  const stack = await startLocalStack({ dataDir, cloudbasePort: 0, simulatorPort: 0, timers: false, functionEnv, routes });
  process.stdout.write(`${JSON.stringify({ cloudbaseUrl: stack.cloudbaseUrl, simulatorUrl: stack.simulatorUrl, appid: stack.credentials.appid })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => {
    stack.close().then(() => process.exit(0), () => process.exit(1));
  });
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack || err}\n`);
  process.exit(1);
});
