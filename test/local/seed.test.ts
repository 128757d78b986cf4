/**
 * Seed pictures (scripts/local/seed.ts): a product's `image` names a file beside the seed file, which
 * the seed uploads to the CloudBase emulator's storage (the real upload wire) and keeps in the product
 * as its file ID; a cloud:// file ID is kept as it is. A bad picture refuses the whole file with its
 * line and field; a failed upload writes no product.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCloudbaseEmulator, type CloudbaseEmulator } from '../../emulator/cloudbase';
import { adminWire, type AdminWire } from '../../emulator/cloudbase/admin-client';
import { applySeed, DEMO_SEED_FILE, describeSeeded, loadSeed, parseSeed } from '../../scripts/local/seed';
import { setCliLang } from '../../scripts/i18n';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wxcloud-pay-seed-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"/>';
fs.mkdirSync(path.join(root, 'pics'));
fs.writeFileSync(path.join(root, 'pics', 'dumplings.svg'), svg);
fs.writeFileSync(path.join(root, 'pics', 'empty.png'), '');
fs.writeFileSync(path.join(root, 'pics', 'notes.txt'), 'x');
const SEED_FILE = path.join(root, 'seed.json');

const seedText = (image: string) => `{
  "products": [
    { "_id": "dumplings", "name": "Pork dumplings", "price": 1500, "image": ${JSON.stringify(image)} },
    { "_id": "soup", "name": "Hot and sour soup", "price": 900, "image": "cloud://env-1.6465-env-1-1250000000/products/soup.png" },
    { "_id": "rice", "name": "Rice", "price": 200 }
  ]
}`;

describe('parseSeed: pictures', () => {
  beforeAll(() => setCliLang('en')); // the English sentences below; Chinese (the default) checked last
  afterAll(() => setCliLang('zh-CN'));
  test('a file beside the seed file is to upload as products/<_id>.<ext>; a file ID is kept', () => {
    const seed = parseSeed(seedText('pics/dumplings.svg'), SEED_FILE);
    expect(seed.images).toEqual([{ productId: 'dumplings', file: path.join(root, 'pics', 'dumplings.svg'), cloudPath: 'products/dumplings.svg' }]);
    expect(seed.products.map((p) => p.image)).toEqual([undefined, 'cloud://env-1.6465-env-1-1250000000/products/soup.png', undefined]);
  });

  test.each([
    ['pics/missing.png', 'products[0].image "pics/missing.png" does not exist'],
    ['pics/empty.png', 'products[0].image "pics/empty.png" is empty'],
    ['pics/notes.txt', 'products[0].image "pics/notes.txt" must be a picture (.png, .jpg, .jpeg, .gif, .webp, .svg)'],
    ['pics', 'products[0].image "pics" must be a picture'],
    ['cloud://no-bucket', 'products[0].image "cloud://no-bucket" is not a file ID'],
    ['', 'products[0].image must be a picture file next to the seed file'],
  ])('%j is refused with the line and the field', (image, message) => {
    expect(() => parseSeed(seedText(image), SEED_FILE)).toThrow(`${SEED_FILE}, line 3: ${message}`);
  });

  test('in Chinese: the same file, line and field, the sentence in Chinese', () => {
    setCliLang('zh-CN');
    try {
      expect(() => parseSeed(seedText('pics/empty.png'), SEED_FILE)).toThrow(`${SEED_FILE}，第 3 行：products[0].image "pics/empty.png" 是空文件`);
    } finally {
      setCliLang('en');
    }
  });

  test('the demo seed names a picture for every product on sale, and each exists', () => {
    const demo = loadSeed(DEMO_SEED_FILE, root);
    const onSale = demo.products.filter((p) => p.active !== false).map((p) => p._id);
    expect(demo.images.map((i) => i.productId).sort()).toEqual([...onSale].sort());
  });
});

describe('applySeed: pictures into cloud storage', () => {
  let emu: CloudbaseEmulator;
  let admin: AdminWire;
  const dataDir = path.join(root, 'data');
  beforeAll(async () => {
    emu = await startCloudbaseEmulator({ dataDir, functionsDir: root, envId: 'seed-env', log: () => undefined, maxFileBytes: 1024 });
    admin = adminWire(emu.adminUrl, 'seed-env');
  });
  afterAll(() => emu.close());

  test('uploads the picture, stores its file ID on the product, and uploads nothing for products already there', async () => {
    const seed = parseSeed(seedText('pics/dumplings.svg'), SEED_FILE);
    const seeded = await applySeed(admin, seed);
    expect(seeded).toEqual({ products: 3, users: 0, images: 1 });
    setCliLang('en');
    expect(describeSeeded(seeded)).toBe('3 products (1 pictures in cloud storage), 0 users added');
    setCliLang('zh-CN');
    expect(describeSeeded(seeded)).toBe('新增 3 个商品（1 张图片已存入云存储）、0 个用户');
    const [dumplings] = await admin.find('products', { _id: 'dumplings' });
    expect(dumplings.image).toMatch(/^cloud:\/\/seed-env\.[^/]+\/products\/dumplings\.svg$/);
    const { download_list } = (await admin.send('storage.batchGetDownloadUrl', { file_list: [{ fileid: dumplings.image }] })) as { download_list: Array<{ tempFileURL: string }> };
    expect(await (await fetch(download_list[0].tempFileURL)).text()).toBe(svg);
    expect(await applySeed(admin, seed)).toEqual({ products: 0, users: 0, images: 0 });
  });

  test('an upload the storage refuses writes no product (a retry starts clean)', async () => {
    fs.writeFileSync(path.join(root, 'pics', 'big.png'), Buffer.alloc(2048, 1));
    const seed = parseSeed(seedText('pics/big.png').replace(/dumplings/g, 'bigbun'), SEED_FILE);
    await expect(applySeed(admin, { ...seed, products: seed.products.filter((p) => p._id === 'bigbun') })).rejects.toThrow('EntityTooLarge');
    expect(await admin.find('products', { _id: 'bigbun' })).toEqual([]);
  });
});
