// The two bill steps. Apply (a normal signed /v3 answer): the day must be over and past 10:00 China
// time of the next day on the simulator's business clock (else STATEMENT_CREATING), within the last
// 3 months, and non-empty (else NO_STATEMENT_EXIST); the file is written then, hashed (SHA-1 of the
// plain bytes), stored gzip-compressed behind a one-time token valid 5 minutes. Download: signed
// request (checked like every /v3 call), UNSIGNED answer — the raw file, gzip when asked for.
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzipSync, gzipSync } from 'node:zlib';
import { formatBillLines, type TradeLayout } from '../../../lib/wechatpay';
import { authenticate } from '../auth';
import { SimError, paramError } from '../errors';
import { errorReply, readBody, send, type Ctx, type Reply } from '../http';
import type { SimState } from '../state';
import { billFaults } from './faults';
import { chinaDate, chinaMidnight, fundFlowRows, fundFlowSummary, tradeRows, tradeSummary } from './ledger';

export const DOWNLOAD_TTL_MS = 5 * 60_000;
/** Bills become available at 10:00 China time of the next day. */
const READY_AFTER_MS = 24 * 3600_000 + 10 * 3600_000;
const WINDOW_DAYS = 92;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

interface Download {
  mchid: string;
  gzip: Buffer;
  /** Serve compressed (tar_type=GZIP). */
  tar: boolean;
  expiresAt: number;
}

// Keyed on the orders map, which reset() replaces: tokens vanish with the ledger they came from.
const downloads = new WeakMap<object, Map<string, Download>>();
const tokensOf = (state: SimState): Map<string, Download> => {
  let m = downloads.get(state.orders);
  if (!m) downloads.set(state.orders, (m = new Map()));
  return m;
};

function billDate(state: SimState, ctx: Ctx): string {
  const date = ctx.query.get('bill_date') ?? '';
  if (!DATE.test(date) || !Number.isFinite(chinaMidnight(date))) throw paramError('bill_date', 'must be a date YYYY-MM-DD', 'query');
  const now = state.now();
  const start = chinaMidnight(date);
  if (start > now) throw paramError('bill_date', 'is in the future', 'query');
  if (chinaMidnight(chinaDate(now)) - start > WINDOW_DAYS * 24 * 3600_000) throw paramError('bill_date', 'only the last 3 months can be downloaded', 'query');
  if (now < start + READY_AFTER_MS) throw new SimError(400, 'STATEMENT_CREATING', '账单生成中');
  return date;
}

function tarType(ctx: Ctx): boolean {
  const t = ctx.query.get('tar_type');
  if (t !== null && t !== 'GZIP') throw paramError('tar_type', 'must be GZIP', 'query');
  return t === 'GZIP';
}

/**
 * A day's file is written once and kept while the ledger stays the same (the real service serves
 * pre-generated files too): a 100k-row day is seconds of work, which an apply must not repeat.
 * The stamp changes with every payment, refund, refund outcome and ledger edit.
 */
interface CachedFile {
  stamp: string;
  gzip: Buffer;
  hash: string;
}
const files = new WeakMap<object, Map<string, CachedFile>>();
let ledgerEdits = 0;
export const noteLedgerEdit = (): void => void (ledgerEdits += 1);

function ledgerStamp(state: SimState): string {
  let paid = 0;
  for (const o of state.orders.values()) if (o.transaction_id) paid += 1;
  let outcomes = 0;
  for (const r of state.refunds.values()) outcomes += r.status === 'SUCCESS' ? 1 : r.status === 'PROCESSING' ? 0 : 1000;
  return `${state.orders.size}:${paid}:${state.refunds.size}:${outcomes}:${ledgerEdits}`;
}

function cachedFile(state: SimState, key: string, write: () => Iterable<string> | undefined): CachedFile | undefined {
  let m = files.get(state.orders);
  if (!m) files.set(state.orders, (m = new Map()));
  const stamp = ledgerStamp(state);
  const hit = m.get(key);
  if (hit && hit.stamp === stamp) return hit;
  const lines = write();
  if (!lines) return undefined;
  const plain = Buffer.from([...lines].join(''), 'utf8');
  const file = { stamp, gzip: gzipSync(plain), hash: createHash('sha1').update(plain).digest('hex') };
  m.set(key, file);
  return file;
}

/** The trade bill of `date` for `mchid`, written (or taken from the cache); undefined when the day is empty. */
export function prepareTradeBill(state: SimState, mchid: string, date: string, type: TradeLayout): CachedFile | undefined {
  return cachedFile(state, `trade:${mchid}:${date}:${type}`, () => {
    const rows = tradeRows(state, mchid, date, type);
    return rows.length ? formatBillLines({ kind: 'trade', layout: type }, rows, tradeSummary(rows), { bom: true, crlf: true }) : undefined;
  });
}

function issue(state: SimState, ctx: Ctx, file: CachedFile | undefined, tar: boolean): Reply {
  if (!file) throw new SimError(400, 'NO_STATEMENT_EXIST', '请求的账单文件不存在');
  const token = randomBytes(24).toString('base64url');
  tokensOf(state).set(token, { mchid: ctx.mchid, gzip: file.gzip, tar, expiresAt: state.now() + DOWNLOAD_TTL_MS });
  const url = `http://${ctx.headers.host}/v3/billdownload/file?token=${token}${tar ? '&tartype=gzip' : ''}`;
  return { status: 200, body: { hash_type: 'SHA1', hash_value: file.hash, download_url: url } };
}

export function applyTradeBill(state: SimState, ctx: Ctx): Reply {
  const date = billDate(state, ctx);
  const type = (ctx.query.get('bill_type') ?? 'ALL') as TradeLayout;
  if (!['ALL', 'SUCCESS', 'REFUND'].includes(type)) throw paramError('bill_type', 'must be ALL, SUCCESS or REFUND', 'query');
  const tar = tarType(ctx);
  return issue(state, ctx, prepareTradeBill(state, ctx.mchid, date, type), tar);
}

export function applyFundFlowBill(state: SimState, ctx: Ctx): Reply {
  const date = billDate(state, ctx);
  const account = ctx.query.get('account_type') ?? 'BASIC';
  if (!['BASIC', 'OPERATION', 'FEES'].includes(account)) throw paramError('account_type', 'must be BASIC, OPERATION or FEES', 'query');
  const tar = tarType(ctx);
  // Only the BASIC account moves in this simulator; the others have no flow (NO_STATEMENT_EXIST).
  const file = cachedFile(state, `fundflow:${ctx.mchid}:${date}:${account}`, () => {
    const rows = account === 'BASIC' ? fundFlowRows(state, ctx.mchid, date) : [];
    return rows.length ? formatBillLines({ kind: 'fundflow', layout: 'FUNDFLOW' }, rows, fundFlowSummary(rows)) : undefined;
  });
  return issue(state, ctx, file, tar);
}

export const isBillDownload = (req: IncomingMessage): boolean => (req.url ?? '').startsWith('/v3/billdownload/file');

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** GET /v3/billdownload/file?token=…: authenticated, one-time, then the bytes as they are, unsigned. */
export async function serveBillDownload(state: SimState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const rawUrl = req.url ?? '/';
  const q = rawUrl.indexOf('?');
  const ctx: Ctx = {
    method: req.method ?? 'GET', rawUrl, path: q < 0 ? rawUrl : rawUrl.slice(0, q), query: new URLSearchParams(q < 0 ? '' : rawUrl.slice(q + 1)),
    params: [], headers: req.headers, rawBody: await readBody(req), mchid: '',
  };
  let file: Download;
  try {
    if (ctx.method !== 'GET') throw new SimError(405, 'METHOD_NOT_ALLOWED', `${ctx.method} not allowed`);
    ctx.mchid = authenticate(state, ctx).mchid;
    const token = ctx.query.get('token') ?? '';
    const found = tokensOf(state).get(token);
    tokensOf(state).delete(token); // one time: a second download of the same URL is refused
    if (!found) throw new SimError(400, 'INVALID_REQUEST', 'download_url expired or already used: apply for the bill again');
    if (found.mchid !== ctx.mchid) throw new SimError(403, 'NO_AUTH', 'the bill was applied for by another merchant');
    if (found.expiresAt <= state.now()) throw new SimError(400, 'INVALID_REQUEST', 'download_url expired (valid 5 minutes): apply for the bill again');
    file = found;
  } catch (err) {
    // Errors are answered like every other /v3 error; only the file itself is the unsigned answer.
    send(state, res, errorReply(err), true);
    return;
  }
  const faults = billFaults(state);
  let body = file.tar ? file.gzip : gunzipSync(file.gzip);
  if (faults.corruptBill) body = corrupt(file.tar, file.gzip);
  if (faults.truncateBill) body = body.subarray(0, Math.max(1, Math.floor(body.length / 2)));
  res.writeHead(200, { 'Content-Type': file.tar ? 'application/x-gzip' : 'text/plain; charset=utf-8', 'Content-Length': String(body.length) });
  const chunk = 16 * 1024;
  for (let at = 0; at < body.length; at += chunk) {
    if (faults.slowBillMs) await delay(faults.slowBillMs);
    if (!res.write(body.subarray(at, at + chunk))) await new Promise((r) => res.once('drain', r));
  }
  res.end();
}

/** A file that still parses but is not the one hashed: one character of the first data row altered. */
function corrupt(tar: boolean, gzip: Buffer): Buffer {
  const text = gunzipSync(gzip).toString('utf8');
  const lines = text.split('\n');
  if (lines.length > 1) lines[1] = lines[1].replace(/`(\d)/, (_m, d: string) => `\`${(Number(d) + 1) % 10}`);
  const changed = Buffer.from(lines.join('\n'), 'utf8');
  return tar ? gzipSync(changed) : changed;
}
