// The simulator's scheduler: tasks run on business time, and when the clock jumps past several
// due times at once they start in due-time order (what real time would have done), not in the order
// they were queued. A hand-driven clock: no wall-clock waits.
import { createScheduler } from '../../emulator/wechat/scheduler';

test('a clock jump starts every task that became due, earliest due time first', async () => {
  let now = 1_000_000;
  const s = createScheduler(() => now);
  const started: string[] = [];
  // Queued out of due order, as the reorder fault does (each first attempt gets its own jitter).
  s.at(now + 78_033, () => started.push('b'));
  s.at(now + 73_449, () => started.push('a'));
  s.at(now + 85_574, () => started.push('c'));
  s.at(now + 500_000, () => started.push('later'));
  now += 90_000;
  await s.idle(0);
  expect(started).toEqual(['a', 'b', 'c']);
  expect(s.pending()).toBe(1);
  s.stop();
});

test('tasks with the same due time keep the order they were queued in', async () => {
  let now = 0;
  const s = createScheduler(() => now);
  const started: number[] = [];
  for (let i = 0; i < 5; i++) s.at(1000, () => started.push(i));
  s.at(999, () => started.push(-1));
  now = 5000;
  await s.idle(0);
  expect(started).toEqual([-1, 0, 1, 2, 3, 4]);
  s.stop();
});
