/** The durable log and store on their own: torn tails, corruption, compaction, replay, EJSON. */
import fs from 'node:fs';
import path from 'node:path';
import { decodeEJSON, encodeEJSON } from '../../emulator/cloudbase/ejson';
import { EnvStore } from '../../emulator/cloudbase/store';
import { DurableLog } from '../../emulator/cloudbase/wal';
import { parseCron } from '../../emulator/cloudbase/functions/cron';
import { tempDir as makeTempDir } from './helpers';

const made: string[] = [];
const tempDir = (prefix: string): string => {
  const d = makeTempDir(prefix);
  made.push(d);
  return d;
};
afterAll(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('DurableLog', () => {
  test('records round-trip; a torn last record is dropped and truncated away', async () => {
    const file = path.join(tempDir('wal-'), 'x.log');
    const { log } = DurableLog.open(file);
    await Promise.all(['{"a":1}', '{"b":2}', '{"c":3}'].map((r) => log.append(r)));
    await log.close();
    fs.appendFileSync(file, 'deadbeef {"d":');
    const sizeWithTorn = fs.statSync(file).size;
    const again = DurableLog.open(file);
    expect(again.records).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
    expect(again.tornBytes).toBe(sizeWithTorn - fs.statSync(file).size);
    expect(again.tornBytes).toBeGreaterThan(0);
    await again.log.append('{"e":5}');
    await again.log.close();
    expect(DurableLog.open(file).records).toEqual(['{"a":1}', '{"b":2}', '{"c":3}', '{"e":5}']);
  });

  test('a bad record followed by good ones refuses to open with CB_STORE_CORRUPT', async () => {
    const file = path.join(tempDir('wal-'), 'x.log');
    const { log } = DurableLog.open(file);
    await log.append('{"a":1}');
    await log.append('{"b":2}');
    await log.close();
    const text = fs.readFileSync(file, 'utf8').replace('{"a":1}', '{"a":9}');
    fs.writeFileSync(file, text);
    expect(() => DurableLog.open(file)).toThrow(expect.objectContaining({ code: 'CB_STORE_CORRUPT' }));
  });
});

describe('EnvStore', () => {
  test('state is rebuilt from the log; a log much longer than the data is compacted on start', async () => {
    const dir = tempDir('store-');
    const s = EnvStore.open(dir, 'e1');
    await s.commit([{ op: 'coll', c: 'k' }]);
    for (let i = 0; i < 300; i++) await s.commit([{ op: 'put', c: 'k', doc: { _id: 'only', n: i, at: new Date(1000), re: /x/i } }]);
    await s.close();
    const file = path.join(dir, 'cloudbase', 'e1.log');
    const before = fs.statSync(file).size;
    const s2 = EnvStore.open(dir, 'e1');
    expect(s2.collection('k').docs.get('sonly')).toEqual({ _id: 'only', n: 299, at: new Date(1000), re: /x/i });
    expect(fs.statSync(file).size).toBeLessThan(before / 10);
    await s2.close();
    expect(EnvStore.open(dir, 'e1').collection('k').docs.get('sonly')?.n).toBe(299);
  });
});

describe('EJSON', () => {
  test('canonical numbers, dates, regex and serverDate decode to JS values; encode is canonical', () => {
    const v = decodeEJSON('{"i":{"$numberInt":"5"},"d":{"$date":{"$numberLong":"1000"}},"r":{"$regularExpression":{"pattern":"^a","options":"ix"}},"s":{"$tcb_server_date":{"offset":{"$numberInt":"5"}}}}', 100) as Record<string, unknown>;
    expect(v).toEqual({ i: 5, d: new Date(1000), r: /^a/i, s: new Date(105) });
    expect(encodeEJSON({ i: 5, f: 1.5, d: new Date(1000) })).toBe('{"i":{"$numberInt":"5"},"f":{"$numberDouble":"1.5"},"d":{"$date":{"$numberLong":"1000"}}}');
  });
});

describe('timer cron (7 fields)', () => {
  test('every 5 minutes at second 0', () => {
    const c = parseCron('0 */5 * * * * *');
    expect(c.matches(new Date(2024, 0, 1, 10, 15, 0))).toBe(true);
    expect(c.matches(new Date(2024, 0, 1, 10, 16, 0))).toBe(false);
    expect(c.matches(new Date(2024, 0, 1, 10, 15, 1))).toBe(false);
  });
  test('ranges, lists, names and weekday', () => {
    const c = parseCron('30 0 9-17 * JAN,MAR MON-FRI 2024');
    expect(c.matches(new Date(2024, 0, 2, 9, 0, 30))).toBe(true); // Tuesday
    expect(c.matches(new Date(2024, 0, 6, 9, 0, 30))).toBe(false); // Saturday
    expect(c.matches(new Date(2024, 1, 1, 9, 0, 30))).toBe(false); // February
  });
  test('malformed expressions throw CB_INVALID_CRON with the reason', () => {
    expect(() => parseCron('0 */5 * * * *')).toThrow(expect.objectContaining({ code: 'CB_INVALID_CRON', message: expect.stringContaining('7 fields') }));
    expect(() => parseCron('0 61 * * * * *')).toThrow(/minute value "61"/);
  });
});
