/**
 * Timers on their schedule (the wall clock), not only through /__emulator/trigger: a function
 * whose config.json asks for every second is invoked with the platform's timer event and the
 * wx_trigger source. Bounded wait; the assertion is "it fired", not how fast.
 */
import fs from 'node:fs';
import path from 'node:path';
import { postJson, startHarness, tempDir, writeFunction, type Harness } from './helpers';

jest.setTimeout(30_000);

let h: Harness;
afterEach(async () => {
  await h?.stop();
});

test('a 7-field cron timer fires on schedule with the timer event', async () => {
  h = await startHarness({
    timers: true,
    setup: (dir) =>
      writeFunction(
        dir,
        'tick',
        `const cloud = require('wx-server-sdk'); cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
exports.main = async (event) => {
  await cloud.database().collection('ticks').add({ data: { type: event.Type, trigger: event.TriggerName, source: cloud.getWXContext().SOURCE || null } });
  return 'ok';
};`,
        { triggers: [{ name: 'everySecond', type: 'timer', config: '* * * * * * *' }] },
      ),
  });
  await h.db.createCollection('ticks');
  const deadline = Date.now() + 15_000;
  let ticks: Array<{ type: string; trigger: string; source: string | null }> = [];
  while (ticks.length < 2 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    ticks = (await h.db.collection('ticks').get()).data;
  }
  expect(h.emu.timers).toEqual([{ functionName: 'tick', triggerName: 'everySecond' }]);
  expect(ticks.length).toBeGreaterThanOrEqual(2);
  expect(ticks[0]).toMatchObject({ type: 'Timer', trigger: 'everySecond', source: 'wx_trigger' });
});

test('without timers: true the schedule stays off (tests fire timers explicitly)', async () => {
  // Every run of the function leaves a line in a marker file, whoever started it.
  const marker = path.join(tempDir('cb-timer-off-'), 'runs.log');
  h = await startHarness({
    setup: (dir) =>
      writeFunction(dir, 'tick', `const fs = require('fs');
exports.main = async (event) => { fs.appendFileSync(${JSON.stringify(marker)}, (event.Type || 'call') + '\\n'); return 'ok'; };`, {
        triggers: [{ name: 'everySecond', type: 'timer', config: '* * * * * * *' }],
      }),
  });
  expect(h.emu.timers).toEqual([]);
  // The explicit trigger works and warms an instance, so a scheduled tick could not hide behind a
  // slow cold start; then wait well over two cron periods (1 s each): nothing else may run.
  expect((await postJson(`${h.emu.url}/__emulator/trigger/tick`, {})).status).toBe(200);
  expect(fs.readFileSync(marker, 'utf8')).toBe('Timer\n');
  await new Promise((r) => setTimeout(r, 3000));
  expect(fs.readFileSync(marker, 'utf8')).toBe('Timer\n');
  fs.rmSync(path.dirname(marker), { recursive: true, force: true });
});
