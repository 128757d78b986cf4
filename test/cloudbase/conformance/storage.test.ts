/**
 * Conformance, storage: cloud.uploadFile / downloadFile / getTempFileURL / deleteFile through the
 * real wx-server-sdk against the emulator's storage (files under the data dir, links on 127.0.0.1).
 */
import { startCloudbaseEmulator } from '../../../emulator/cloudbase';
import { FileStore } from '../../../emulator/cloudbase/storage/files';
import { startHarness, type Harness } from '../helpers';

let h: Harness;
const errOf = async (p: Promise<unknown>): Promise<any> => p.then(() => { throw new Error('expected a rejection'); }, (e) => e);

beforeAll(async () => {
  h = await startHarness({ maxFileBytes: 64 * 1024 });
});
afterAll(() => h.stop());

const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

describe('cloud.uploadFile', () => {
  test('stores the bytes and answers a fileID of the real shape cloud://<env>.<bucket>/<path>', async () => {
    const res = await h.cloud.uploadFile({ cloudPath: 'products/tea.png', fileContent: png });
    expect(res.fileID).toBe('cloud://test-env.7465-test-env-1250000000/products/tea.png');
    // (statusCode is always -1 with wx-server-sdk 4.0.2: node-sdk 3.x never calls its onResponseReceived.)
    expect(Buffer.from((await h.cloud.downloadFile({ fileID: res.fileID })).fileContent)).toEqual(png);
  });

  test.each([['/leading-slash.png'], ['a//b.png'], ['dir/'], ['bad\u0001name.png'], ['x'.repeat(851)]])('a bad cloudPath %# is refused before anything is stored', async (cloudPath) => {
    const e = await errOf(h.cloud.uploadFile({ cloudPath, fileContent: png }));
    expect(String(e.errMsg ?? e.message)).toMatch(/cloudPath must/);
  });

  test('a file over the size limit is refused (EntityTooLarge) and nothing is stored', async () => {
    const e = await errOf(h.cloud.uploadFile({ cloudPath: 'big.bin', fileContent: Buffer.alloc(64 * 1024 + 1) }));
    expect(String(e.errMsg ?? e.message)).toContain('EntityTooLarge');
    const { fileList } = await h.cloud.getTempFileURL({ fileList: ['cloud://test-env.7465-test-env-1250000000/big.bin'] });
    expect(fileList[0].status).toBe(-503003);
  });
});

describe('cloud.getTempFileURL', () => {
  test('a link on 127.0.0.1 that serves the file with its type, expiring after maxAge (default 10 min, at most 1 day)', async () => {
    const { fileID } = await h.cloud.uploadFile({ cloudPath: 'products/cup.png', fileContent: png });
    const { fileList } = await h.cloud.getTempFileURL({ fileList: [fileID, { fileID, maxAge: 3600 }, { fileID, maxAge: 10 * 86400 }] });
    expect(fileList.map((f: any) => [f.status, f.errMsg, f.maxAge])).toEqual([[0, 'ok', 600], [0, 'ok', 3600], [0, 'ok', 86400]]);
    expect(fileList[0].tempFileURL.startsWith(`${h.emu.url}/storage/`)).toBe(true);
    const res = await fetch(fileList[0].tempFileURL);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(png);
  });

  test('an expired or tampered link is refused with 403 AccessDenied', async () => {
    const { fileID } = await h.cloud.uploadFile({ cloudPath: 'products/old.png', fileContent: png });
    const { fileList } = await h.cloud.getTempFileURL({ fileList: [fileID] });
    const url = new URL(fileList[0].tempFileURL);
    url.searchParams.set('t', String(Number(url.searchParams.get('t')) + 1));
    const tampered = await fetch(url);
    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toContain('<Code>AccessDenied</Code>');
    // A correctly signed link whose time has passed (what every link becomes after maxAge) is expired:
    // sign one with the emulator's own link secret (kept in the data dir) for a second ago.
    const past = Math.floor(Date.now() / 1000) - 1;
    url.searchParams.set('t', String(past));
    url.searchParams.set('sign', new FileStore(h.dataDir, 'test-env').sign('GET', 'products/old.png', past));
    const expired = await fetch(url);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('Request has expired');
  });

  test('a missing file or a file ID of another env answers a per-file error status, the call itself succeeds', async () => {
    const { fileList } = await h.cloud.getTempFileURL({ fileList: ['cloud://test-env.7465-test-env-1250000000/nope.png', 'cloud://other.6f74-other-1/x.png', 'not-a-file-id'] });
    expect(fileList.map((f: any) => f.status)).toEqual([-503003, -503002, -501007]);
    expect(fileList.every((f: any) => f.tempFileURL === '')).toBe(true);
  });

  test('more than 50 files in one call are refused', async () => {
    const e = await errOf(h.cloud.getTempFileURL({ fileList: Array.from({ length: 51 }, (_x, i) => `cloud://test-env.7465-test-env-1250000000/f${i}`) }));
    expect(String(e.errMsg ?? e.message)).toContain('at most 50 files per call');
  });
});

describe('cloud.downloadFile', () => {
  test('returns the stored bytes; a missing file rejects', async () => {
    const { fileID } = await h.cloud.uploadFile({ cloudPath: 'docs/readme.txt', fileContent: Buffer.from('你好, storage') });
    const res = await h.cloud.downloadFile({ fileID });
    expect(Buffer.from(res.fileContent).toString()).toBe('你好, storage');
    await expect(h.cloud.downloadFile({ fileID: 'cloud://test-env.7465-test-env-1250000000/docs/missing.txt' })).rejects.toBeDefined();
  });
});

describe('cloud.deleteFile', () => {
  test('deletes; deleting again answers STORAGE_FILE_NONEXIST for that file', async () => {
    const { fileID } = await h.cloud.uploadFile({ cloudPath: 'tmp/x.txt', fileContent: Buffer.from('x') });
    expect((await h.cloud.deleteFile({ fileList: [fileID] })).fileList).toEqual([{ fileID, status: 0, errMsg: 'ok' }]);
    expect((await h.cloud.deleteFile({ fileList: [fileID] })).fileList[0].status).toBe(-503003);
    expect((await h.cloud.getTempFileURL({ fileList: [fileID] })).fileList[0].status).toBe(-503003);
  });

  test('files survive an emulator restart on the same data dir (and links signed before it still work)', async () => {
    const { fileID } = await h.cloud.uploadFile({ cloudPath: 'keep/me.txt', fileContent: Buffer.from('kept') });
    const before = (await h.cloud.getTempFileURL({ fileList: [fileID] })).fileList[0].tempFileURL;
    const again = await startCloudbaseEmulator({ dataDir: h.dataDir, functionsDir: h.functionsDir, envId: 'test-env', log: () => undefined });
    try {
      const moved = before.replace(h.emu.url, again.url);
      const res = await fetch(moved);
      expect(await res.text()).toBe('kept');
    } finally {
      await again.close();
    }
  });
});
