/**
 * The chaos table reports faults actually injected, not only the configured rates: the simulator
 * counts SYSTEM_ERROR / FREQUENCY_LIMITED / slowed /v3 answers (GET /__sim/faults) and the
 * CloudBase emulator counts failed writes (GET /__emulator/faults). Real servers on 127.0.0.1.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { startCloudbaseEmulator, type CloudbaseEmulator } from '../../emulator/cloudbase';
import { startWechatSimulator, type WechatSimulator } from '../../emulator/wechat';
import { adminWire } from '../../emulator/cloudbase/admin-client';

jest.setTimeout(60_000);

const post = async (url: string, body: unknown): Promise<any> => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return res.json();
};
const get = async (url: string): Promise<any> => (await fetch(url)).json();

describe('simulator: GET /__sim/faults counts what it injected', () => {
  let sim: WechatSimulator;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fault-counts-'));
    sim = await startWechatSimulator({ port: 0, dataDir: dir, seed: 3 });
  });
  afterAll(async () => {
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  // The fault is drawn before authentication, so an unsigned call is enough to meet it.
  const v3 = async (): Promise<{ status: number; code?: string }> => {
    const res = await fetch(`${sim.url}/v3/certificates`);
    const body = (await res.json()) as { code?: string };
    return { status: res.status, code: body.code };
  };

  it('starts at zero and counts each kind per answer', async () => {
    expect((await get(`${sim.url}/__sim/faults`)).injected).toEqual({ systemError: 0, frequencyLimited: 0, latencyAdded: 0 });
    await post(`${sim.url}/__sim/faults`, { systemErrorRate: 1, latencyMs: 1 });
    expect(await v3()).toEqual({ status: 500, code: 'SYSTEM_ERROR' });
    expect(await v3()).toEqual({ status: 500, code: 'SYSTEM_ERROR' });
    expect((await get(`${sim.url}/__sim/faults`)).injected).toEqual({ systemError: 2, frequencyLimited: 0, latencyAdded: 2 });

    await post(`${sim.url}/__sim/faults`, { frequencyLimitRate: 1 });
    expect(await v3()).toEqual({ status: 429, code: 'FREQUENCY_LIMITED' });
    // A new fault set starts from zero: the counts describe the faults in force.
    expect((await get(`${sim.url}/__sim/faults`)).injected).toEqual({ systemError: 0, frequencyLimited: 1, latencyAdded: 0 });
  });

  it('a call that met no fault is not counted; control endpoints never are', async () => {
    await post(`${sim.url}/__sim/faults`, {});
    expect((await v3()).status).toBe(401); // reached authentication: no fault
    await get(`${sim.url}/__sim/transactions`);
    expect((await get(`${sim.url}/__sim/faults`)).injected).toEqual({ systemError: 0, frequencyLimited: 0, latencyAdded: 0 });
  });
});

describe('CloudBase emulator: GET /__emulator/faults counts failed writes', () => {
  let emu: CloudbaseEmulator;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fault-counts-cb-'));
    emu = await startCloudbaseEmulator({ port: 0, dataDir: dir, envId: 'counts-env' });
  });
  afterAll(async () => {
    await emu?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('each injected write failure is counted; reads are not faulted; a new configuration starts from zero', async () => {
    const admin = adminWire(emu.adminUrl, emu.envId);
    await admin.ensureCollection('things');
    expect(await get(`${emu.url}/__emulator/faults`)).toEqual({ faults: { writeFailureRate: 0 }, injected: { writeFailures: 0 } });

    await post(`${emu.url}/__emulator/faults`, { writeFailureRate: 1, seed: 5 });
    await expect(admin.insert('things', [{ _id: 'a' }])).rejects.toThrow(/DATABASE_REQUEST_FAILED/);
    await expect(admin.insert('things', [{ _id: 'b' }])).rejects.toThrow(/DATABASE_REQUEST_FAILED/);
    expect(await admin.count('things')).toBe(0);
    expect(await get(`${emu.url}/__emulator/faults`)).toEqual({ faults: { writeFailureRate: 1, seed: 5 }, injected: { writeFailures: 2 } });

    await post(`${emu.url}/__emulator/faults`, {});
    await admin.insert('things', [{ _id: 'c' }]);
    expect((await get(`${emu.url}/__emulator/faults`)).injected).toEqual({ writeFailures: 0 });
  });
});
