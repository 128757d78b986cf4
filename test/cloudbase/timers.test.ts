/**
 * Timers on their schedule (the wall clock), not only through /__emulator/trigger: a function
 * whose config.json asks for every second is invoked with the platform's timer event and the
 * wx_trigger source. Bounded wait; the assertion is "it fired", not how fast.
 */
import { startHarness, writeFunction, type Harness } from './helpers';

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
  expect(ticks.length).toBeGreaterThanOrEqual(2);
  expect(ticks[0]).toMatchObject({ type: 'Timer', trigger: 'everySecond', source: 'wx_trigger' });
});

test('without timers: true the schedule stays off (tests fire timers explicitly)', async () => {
  h = await startHarness({
    setup: (dir) =>
      writeFunction(dir, 'tick', `exports.main = async () => { throw new Error('must not run'); };`, {
        triggers: [{ name: 'everySecond', type: 'timer', config: '* * * * * * *' }],
      }),
  });
  await new Promise((r) => setTimeout(r, 1500));
  expect(h.logs.join('\n')).not.toMatch(/must not run|tick/);
});
