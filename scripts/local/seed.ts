/**
 * Seed data for the local stack, from a JSON file instead of code:
 *   { "products": [{ "_id": "coffee", "name": "手冲咖啡", "price": 1800, "active": true, "delivery": "pickup" }, …],
 *     "users":    [{ "_id": "o-alice" }, …] }                        (users optional; _id = openid)
 * A product's `image` is a picture file beside the seed file ("images/coffee.svg"), uploaded to cloud
 * storage as `products/<_id>.<ext>` and kept in the product as its file ID, or a `cloud://` file ID
 * already in storage (kept as it is). listProducts turns it into a temporary link (lib/shop/images.ts).
 * Which file: `npm start -- --seed FILE`, else `<LOCAL_DATA_DIR>/seed.json` when present, else the demo
 * seed beside this file (seed.demo.json). The whole file is read and checked before anything is written,
 * so a bad file loads nothing; the error names the file, the line and the field. Each start inserts the
 * documents whose _id is missing and leaves existing ones as they are (a developer's edits stay).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { COLLECTIONS } from '../../lib/store/collections';
import type { AdminWire } from '../../emulator/cloudbase/admin-client';
import { DELIVERY_KINDS } from '../../lib/contract/fulfilment';
import { parseWithLines, type Located } from './json-lines';
import { t } from '../i18n';

export const DEMO_SEED_FILE = join(__dirname, 'seed.demo.json');
export const SEED_FILE_NAME = 'seed.json';

export interface SeedData {
  source: string;
  products: Record<string, unknown>[];
  users: Record<string, unknown>[];
  /** Local picture files to upload; the product's `image` becomes the file ID. */
  images: SeedImage[];
}

export interface SeedImage {
  productId: string;
  file: string;
  cloudPath: string;
}

export class SeedError extends Error {
  readonly code = 'SEED_INVALID';
}

const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;
const KNOWN_TOP = ['products', 'users'];
const PRODUCT_FIELDS = ['_id', 'name', 'price', 'active', 'delivery', 'image'];
/** The picture types WeChat's <image> shows. */
const IMAGE_TYPES = ['.png', '.jpg', '.jpeg', '.gif', '.webp', '.svg'];
const FILE_ID_RE = /^cloud:\/\/[^/.]+\.[^/]+\/.+$/;

export function chooseSeedFile(explicit: string | undefined, dataDir: string): string {
  if (explicit) return explicit;
  const inDataDir = join(dataDir, SEED_FILE_NAME);
  return existsSync(inDataDir) ? inDataDir : DEMO_SEED_FILE;
}

export function loadSeed(explicit: string | undefined, dataDir: string): SeedData {
  const file = chooseSeedFile(explicit, dataDir);
  if (!existsSync(file)) throw new SeedError(t('seed.noFile', { file }));
  return parseSeed(readFileSync(file, 'utf8'), file);
}

export function parseSeed(text: string, file: string): SeedData {
  let root: Located;
  try {
    root = parseWithLines(text);
  } catch (e) {
    throw new SeedError(`${file}: ${(e as Error).message}`);
  }
  const fail = (at: Located, field: string, what: string): never => {
    throw new SeedError(t('seed.at', { file, line: at.line, field, what }));
  };
  if (root.kind !== 'object') fail(root, t('seed.theFile'), t('seed.notObject'));
  for (const [k, v] of Object.entries(root.fields!)) if (!KNOWN_TOP.includes(k)) fail(v, k, t('seed.notSection', { known: KNOWN_TOP.join(', ') }));
  const list = (name: string, required: boolean): Located[] => {
    const v = root.fields![name];
    if (!v) return required ? fail(root, name, t('seed.required')) : [];
    if (v.kind !== 'array') fail(v, name, t('seed.notArray'));
    return v.items!;
  };
  const images: SeedImage[] = [];
  /** A file ID is kept; a file is checked now (so a bad one loads nothing) and uploaded by applySeed. */
  const imageOf = (at: Located, field: string, productId: string): string | undefined => {
    const v = at.value;
    if (typeof v !== 'string' || !v.trim()) return fail(at, field, t('seed.imageShape'));
    if (v.startsWith('cloud://')) {
      if (!FILE_ID_RE.test(v)) fail(at, field, t('seed.notFileId', { value: v }));
      return v;
    }
    const ext = extname(v).toLowerCase();
    if (!IMAGE_TYPES.includes(ext)) fail(at, field, t('seed.notPicture', { value: v, types: IMAGE_TYPES.join(', ') }));
    const abs = resolve(dirname(file), v);
    let size = -1;
    try {
      const st = statSync(abs);
      size = st.isFile() ? st.size : -1;
    } catch {
      // reported below
    }
    if (size < 0) fail(at, field, t('seed.imageMissing', { value: v, path: abs }));
    if (size === 0) fail(at, field, t('seed.imageEmpty', { value: v }));
    images.push({ productId, file: abs, cloudPath: `products/${productId}${ext}` });
    return undefined;
  };
  const seen = new Set<string>();
  const idOf = (item: Located, path: string): string => {
    const id = item.fields!._id;
    if (!id || typeof id.value !== 'string' || !ID_RE.test(id.value)) fail(id ?? item, `${path}._id`, t('seed.idShape'));
    if (seen.has(`${path.split('[')[0]}:${id!.value}`)) fail(id!, `${path}._id`, t('seed.idTwice', { value: String(id!.value) }));
    seen.add(`${path.split('[')[0]}:${id!.value}`);
    return id!.value as string;
  };
  const products = list('products', true).map((item, i) => {
    const path = `products[${i}]`;
    if (item.kind !== 'object') fail(item, path, t('seed.productShape'));
    const f = item.fields!;
    const _id = idOf(item, path);
    for (const k of Object.keys(f)) if (!PRODUCT_FIELDS.includes(k)) fail(f[k], `${path}.${k}`, t('seed.notProductField', { known: PRODUCT_FIELDS.join(', ') }));
    if (!f.name || typeof f.name.value !== 'string' || !f.name.value.trim()) fail(f.name ?? item, `${path}.name`, t('seed.nameShape'));
    const price = f.price?.value;
    if (typeof price !== 'number' || !Number.isSafeInteger(price) || price < 1) fail(f.price ?? item, `${path}.price`, t('seed.priceShape'));
    if (f.active !== undefined && typeof f.active.value !== 'boolean') fail(f.active, `${path}.active`, t('seed.activeShape'));
    const delivery = f.delivery?.value;
    if (f.delivery !== undefined && !DELIVERY_KINDS.includes(delivery as never)) fail(f.delivery, `${path}.delivery`, t('seed.deliveryShape', { kinds: DELIVERY_KINDS.join(', ') }));
    const image = f.image === undefined ? undefined : imageOf(f.image, `${path}.image`, _id);
    return { _id, name: f.name!.value, price, active: f.active?.value ?? true, ...(delivery !== undefined ? { delivery } : {}), ...(image ? { image } : {}) };
  });
  const users = list('users', false).map((item, i) => {
    const path = `users[${i}]`;
    if (item.kind !== 'object') fail(item, path, t('seed.userShape'));
    const doc = plain(item) as Record<string, unknown>;
    return { ...doc, _id: idOf(item, path) };
  });
  return { source: file, products, users, images };
}

function plain(v: Located): unknown {
  if (v.kind === 'object') return Object.fromEntries(Object.entries(v.fields!).map(([k, x]) => [k, plain(x)]));
  if (v.kind === 'array') return v.items!.map(plain);
  return v.value;
}

export interface Seeded {
  products: number;
  users: number;
  /** Pictures uploaded to cloud storage for the products added. */
  images: number;
}

/** Collections exist (as in the real service, README "Go live"); missing seed documents are inserted. */
export async function applySeed(admin: AdminWire, seed: SeedData): Promise<Seeded> {
  for (const name of Object.values(COLLECTIONS)) await admin.ensureCollection(name);
  const missingOf = async (collection: string, docs: Record<string, unknown>[]): Promise<Record<string, unknown>[]> => {
    if (docs.length === 0) return [];
    const existing = new Set((await admin.find(collection)).map((d) => d._id));
    return docs.filter((d) => !existing.has(d._id));
  };
  const products = await missingOf(COLLECTIONS.products, seed.products);
  // Pictures first: a failed upload stops here, before any product is written (a retry uploads again).
  const adding = new Set(products.map((p) => p._id));
  const uploads = seed.images.filter((img) => adding.has(img.productId));
  const fileIds = new Map<string, string>();
  for (const img of uploads) fileIds.set(img.productId, await admin.upload(img.cloudPath, readFileSync(img.file)));
  const docs = products.map((p) => (fileIds.has(p._id as string) ? { ...p, image: fileIds.get(p._id as string) } : p));
  if (docs.length > 0) await admin.insert(COLLECTIONS.products, docs);
  const users = await missingOf(COLLECTIONS.users, seed.users);
  if (users.length > 0) await admin.insert(COLLECTIONS.users, users);
  return { products: docs.length, users: users.length, images: uploads.length };
}

export function describeSeeded(s: Seeded): string {
  if (s.products + s.users === 0) return t('stack.seededNothing');
  const values = { products: s.products, users: s.users, images: s.images };
  return s.images > 0 ? t('stack.seededCountsPictures', values) : t('stack.seededCounts', values);
}
