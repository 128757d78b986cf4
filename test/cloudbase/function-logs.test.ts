/**
 * Function logs (emulator/cloudbase/functions/logs.ts): the in-memory view keeps the newest 2000
 * lines per function in arrival order, and the file gets every line, in order, although lines are
 * written in batches (one write per 20 ms or per 1000 lines, the rest on close) and the memory list
 * is trimmed in batches.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FunctionLogs } from '../../emulator/cloudbase/functions/logs';

test('every line reaches the file in order; the view shows the newest 2000 per function, oldest first', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fn-logs-'));
  try {
    const logs = new FunctionLogs(dir);
    for (let i = 0; i < 2600; i++) {
      logs.append('payNotify', `line ${i}`);
      if (i % 2 === 0) logs.append('other', `other ${i}`);
      // Some lines arrive in later turns of the event loop, most together.
      if (i % 97 === 0) await new Promise((r) => setImmediate(r));
    }
    const view = logs.list({ function: 'payNotify', limit: 5000 });
    expect(view).toHaveLength(2000);
    expect(view[0].line).toBe('line 600');
    expect(view[1999].line).toBe('line 2599');
    expect(view.every((e, i) => i === 0 || e.seq > view[i - 1].seq)).toBe(true);
    expect(logs.list({ after: logs.lastSeq - 3, limit: 10 }).map((e) => e.line)).toEqual(['line 2598', 'other 2598', 'line 2599']);
    await logs.close();
    const file = fs.readFileSync(path.join(dir, 'payNotify.log'), 'utf8').trimEnd().split('\n');
    expect(file).toHaveLength(2600);
    expect(file.map((l) => l.slice(l.indexOf(' ') + 1))).toEqual(Array.from({ length: 2600 }, (_x, i) => `line ${i}`));
    expect(fs.readFileSync(path.join(dir, 'other.log'), 'utf8').trimEnd().split('\n')).toHaveLength(1300);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
