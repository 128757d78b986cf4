/**
 * Timer triggers from each function's config.json (`{"triggers":[{"name","type":"timer","config"}]}`).
 * `fire()` runs one now (POST /__emulator/trigger/{name}); `startSchedule()` checks every second
 * which timers match the wall clock and fires them (only when the emulator runs with timers:true).
 */
import fs from 'node:fs';
import path from 'node:path';
import { TCB_CODES, TcbError } from '../errors';
import { parseCron, type Cron } from './cron';
import type { FunctionHost, Invoked } from './host';

export interface TimerTrigger {
  functionName: string;
  triggerName: string;
  cron: Cron;
}

/** The function's timer trigger, or null when its config.json has none. Throws on a malformed config. */
export function readTimer(functionsDir: string, functionName: string): TimerTrigger | null {
  const file = path.join(functionsDir, functionName, 'config.json');
  if (!fs.existsSync(file)) return null;
  let cfg: { triggers?: { name?: unknown; type?: unknown; config?: unknown }[] };
  try {
    cfg = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new TcbError(TCB_CODES.INVALID_PARAM, `${file} is not valid JSON: ${(e as Error).message}`);
  }
  const t = (cfg.triggers ?? []).find((x) => x.type === 'timer');
  if (!t) return null;
  if (typeof t.name !== 'string' || typeof t.config !== 'string') throw new TcbError(TCB_CODES.INVALID_PARAM, `${file}: a timer trigger needs string "name" and "config"`);
  try {
    return { functionName, triggerName: t.name, cron: parseCron(t.config) };
  } catch (e) {
    throw new TcbError(TCB_CODES.INVALID_PARAM, `${file}: ${(e as Error).message}`);
  }
}

export function listTimers(functionsDir: string): TimerTrigger[] {
  if (!fs.existsSync(functionsDir)) return [];
  return fs
    .readdirSync(functionsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(functionsDir, d.name, 'index.js')))
    .map((d) => readTimer(functionsDir, d.name))
    .filter((t): t is TimerTrigger => t !== null);
}

/** Run the trigger now with the platform's timer event. */
export function fire(host: FunctionHost, t: TimerTrigger, now: Date): Promise<Invoked> {
  const event = { Type: 'Timer', TriggerName: t.triggerName, Time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'), Message: '' };
  return host.invoke(t.functionName, event, { source: 'wx_trigger' }, { timer: true });
}

export function startSchedule(host: FunctionHost, timers: TimerTrigger[], log: (line: string) => void): () => void {
  let last = Math.floor(Date.now() / 1000);
  const tick = (): void => {
    const nowSec = Math.floor(Date.now() / 1000);
    // Check every second since the last tick, so a slow tick never skips a scheduled second.
    for (let s = last + 1; s <= nowSec; s++) {
      const at = new Date(s * 1000);
      for (const t of timers) {
        if (!t.cron.matches(at)) continue;
        fire(host, t, at).then(
          (o) => !o.ok && log(`[timer ${t.functionName}/${t.triggerName}] ${o.kind}: ${o.message}`),
          (e: Error) => log(`[timer ${t.functionName}/${t.triggerName}] ${e.message}`),
        );
      }
    }
    last = nowSec;
  };
  const handle = setInterval(tick, 250);
  handle.unref();
  return () => clearInterval(handle);
}
