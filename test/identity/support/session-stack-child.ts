// The real local stack in a child process (the jsdom test environment cannot load esbuild) with the
// functions deployed as on SCF: IDENTITY_MODE=session, reachable as HTTP events at /fn/{name}.
// Prints one JSON line {cloudbaseUrl, simulatorUrl, appid} when ready; closes when stdin ends.
import { startLocalStack } from '../../../scripts/local/stack';

const FUNCTIONS = ['login', 'createOrder', 'queryOrder', 'listProducts', 'listOrders'];

async function main(): Promise<void> {
  const [dataDir, secret] = process.argv.slice(2);
  if (!dataDir || !secret) throw new Error('usage: session-stack-child.ts <dataDir> <sessionSecret>');
  const stack = await startLocalStack({
    dataDir, cloudbasePort: 0, simulatorPort: 0, timers: false,
    functionEnv: { IDENTITY_MODE: 'session', SESSION_TOKEN_SECRET: secret, WX_APP_SECRET: 'dev-app-secret-not-a-real-one' },
    routes: Object.fromEntries(FUNCTIONS.map((f) => [`/fn/${f}`, f])),
  });
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
