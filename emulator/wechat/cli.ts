// npx tsx emulator/wechat/cli.ts — WECHAT_SIMULATOR_PORT (DEFAULT_PORTS.wechat, emulator/shared/ports.ts), LOCAL_DATA_DIR (.local),
// WECHAT_SIMULATOR_TIME_SCALE (1), WECHAT_SIMULATOR_NOTIFY_REDIRECTS ("https://a=http://127.0.0.1:<cloudbase port>,…").
import { DEFAULT_PORTS } from '../shared/ports';
import { startWechatSimulator } from './index';

function redirects(spec: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (spec ?? '').split(',').filter(Boolean)) {
    const i = pair.indexOf('=');
    if (i < 0) throw new Error(`WECHAT_SIMULATOR_NOTIFY_REDIRECTS entry "${pair}" must be https-origin=http-base`);
    out[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return out;
}

async function main(): Promise<void> {
  const sim = await startWechatSimulator({
    port: Number(process.env.WECHAT_SIMULATOR_PORT ?? DEFAULT_PORTS.wechat),
    dataDir: process.env.LOCAL_DATA_DIR ?? '.local',
    timeScale: Number(process.env.WECHAT_SIMULATOR_TIME_SCALE ?? 1),
    notifyRedirects: redirects(process.env.WECHAT_SIMULATOR_NOTIFY_REDIRECTS),
  });
  // Public identifiers only; keys stay in the credentials file.
  console.log(`WeChat Pay simulator on ${sim.url} (mchid ${sim.credentials.mchid}, appid ${sim.credentials.appid}, platform ${sim.state.platform.mode})`);
  const stop = (): void => void sim.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: Error) => {
  console.error(`wechat simulator: ${err.message}`);
  process.exit(1);
});
