/**
 * Product pictures (lib/shop/images.ts) through the real wx-server-sdk and the CloudBase emulator's
 * storage: a product's file ID becomes a temporary link the emulator serves; links are reused while
 * fresh (no storage call on a warm instance); a missing file or a storage outage leaves the catalogue
 * answered, without those pictures, and logged.
 */
import type { LogEvent } from '../../lib/log';
import type { Product } from '../../lib/contract';
import { PRODUCT_IMAGE_LINK_SECONDS, productImageLinks, type TempUrlSource } from '../../lib/shop/images';
import { startHarness, type Harness } from '../cloudbase/helpers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>');

function counted(): TempUrlSource & { calls: number; files: number } {
  const source = {
    calls: 0,
    files: 0,
    getTempFileURL(params: { fileList: Array<{ fileID: string; maxAge: number }> }) {
      source.calls += 1;
      source.files += params.fileList.length;
      return h.cloud.getTempFileURL(params);
    },
  };
  return source;
}

function logger() {
  const lines: Array<{ event: LogEvent; fields?: Record<string, unknown> }> = [];
  return { lines, log: (event: LogEvent, fields?: Record<string, unknown>) => void lines.push({ event, fields }) };
}

const product = (id: string, image?: string): Product => ({ _id: id, name: id, price: 100, active: true, ...(image ? { image } : {}) });

test('a file ID becomes a link on the emulator that serves the picture, valid for an hour', async () => {
  const { fileID } = await h.cloud.uploadFile({ cloudPath: 'products/tea.svg', fileContent: svg });
  const { log, lines } = logger();
  const [tea, plain] = await productImageLinks(counted(), log).attach([product('tea', fileID), product('plain')]);
  expect(tea.image).toBe(fileID);
  expect(tea.imageUrl).toMatch(new RegExp(`^${h.emu.url}/storage/`));
  expect(plain.imageUrl).toBeUndefined();
  const res = await fetch(tea.imageUrl!);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('image/svg+xml');
  expect(Buffer.from(await res.arrayBuffer())).toEqual(svg);
  const t = Number(new URL(tea.imageUrl!).searchParams.get('t'));
  expect(t - Date.now() / 1000).toBeGreaterThan(PRODUCT_IMAGE_LINK_SECONDS - 60);
  expect(lines).toEqual([]);
});

test('links are reused while more than half their life is left, then fetched again', async () => {
  const { fileID } = await h.cloud.uploadFile({ cloudPath: 'products/cake.svg', fileContent: svg });
  let now = Date.now();
  const source = counted();
  const links = productImageLinks(source, logger().log, () => now);
  const first = await links.attach([product('cake', fileID), product('cake-too', fileID)]);
  expect(source).toMatchObject({ calls: 1, files: 1 }); // one file ID asked once
  now += (PRODUCT_IMAGE_LINK_SECONDS / 2 - 5) * 1000;
  const warm = await links.attach([product('cake', fileID)]);
  expect(source.calls).toBe(1);
  expect(warm[0].imageUrl).toBe(first[0].imageUrl);
  now += 10_000;
  await links.attach([product('cake', fileID)]);
  expect(source.calls).toBe(2);
});

test('more than 50 pictures are asked in calls of at most 50 (the real per-call limit)', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 51; i++) ids.push((await h.cloud.uploadFile({ cloudPath: `many/p${i}.svg`, fileContent: svg })).fileID);
  const source = counted();
  const out = await productImageLinks(source, logger().log).attach(ids.map((id, i) => product(`p${i}`, id)));
  expect(source.calls).toBe(2);
  expect(out.filter((p) => p.imageUrl)).toHaveLength(51);
});

test('a missing file leaves that product without a picture, the others keep theirs, and it is logged', async () => {
  const { fileID } = await h.cloud.uploadFile({ cloudPath: 'products/beans.svg', fileContent: svg });
  const gone = fileID.replace('beans.svg', 'deleted.svg');
  const { log, lines } = logger();
  const [beans, missing] = await productImageLinks(counted(), log).attach([product('beans', fileID), product('missing', gone)]);
  expect(beans.imageUrl).toBeDefined();
  expect(missing.imageUrl).toBeUndefined();
  expect(missing.image).toBe(gone);
  expect(lines).toEqual([{ event: 'shop.images_unavailable', fields: expect.objectContaining({ files: 1, of: 2 }) }]);
});

test('storage down: the catalogue is still answered, with links still valid from before and none past their expiry', async () => {
  const { fileID } = await h.cloud.uploadFile({ cloudPath: 'products/coffee.svg', fileContent: svg });
  let now = Date.now();
  let down = false;
  const source: TempUrlSource = { getTempFileURL: (p) => (down ? Promise.reject(new Error('connect ECONNREFUSED')) : h.cloud.getTempFileURL(p)) };
  const { log, lines } = logger();
  const links = productImageLinks(source, log, () => now);
  const fresh = await links.attach([product('coffee', fileID)]);
  down = true;
  now += (PRODUCT_IMAGE_LINK_SECONDS * 3 / 4) * 1000; // past half-life: a refresh is tried and fails
  expect((await links.attach([product('coffee', fileID), product('tea')])).map((p) => p.imageUrl)).toEqual([fresh[0].imageUrl, undefined]);
  now += PRODUCT_IMAGE_LINK_SECONDS * 1000; // the old link has expired: not handed out
  expect((await links.attach([product('coffee', fileID)]))[0].imageUrl).toBeUndefined();
  expect(lines.map((l) => l.event)).toEqual(['shop.images_unavailable', 'shop.images_unavailable']);
  expect(lines[0].fields).toMatchObject({ files: 1, of: 1, error: 'connect ECONNREFUSED' });
});
