/**
 * ops/s of the library's hot paths against the bare crypto they wrap (cached KeyObjects), in one run:
 *   buildAuthorization, buildPaymentParams  vs  crypto.sign            (target ≤ 1.15×)
 *   parseNotification                       vs  bare notification parse (target ≤ 1.3×)
 * The bare notification parse is the least work any correct parser must do, with nothing checked:
 * read the three headers it needs (the Node-style lower-case header object a server receives),
 * base64-decode signature and ciphertext, crypto.verify over TIMESTAMP\nNONCE\nBODY\n with a cached
 * KeyObject, AES-256-GCM decrypt, JSON.parse the plaintext. It is handed the resource fields already
 * extracted, so parsing the envelope JSON, the skew/serial/algorithm checks and the key lookup all
 * count as the library's overhead. A second row against verify+GCM on pre-decoded inputs (no header
 * reads, no base64, no JSON at all) is printed for reference, without a target.
 * Tune with BENCH_BATCHES / BENCH_BATCH_MS.
 */
import { createDecipheriv, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'crypto';
import { buildAuthorization, buildNotification, buildPaymentParams, parseNotification } from '../../lib/wechatpay';
import { markdownTable, recordBench } from './peers';

const BATCHES = Number(process.env.BENCH_BATCHES ?? 400);
const BATCH_MS = Number(process.env.BENCH_BATCH_MS ?? 3);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Seconds taken by n calls. */
function time(fn: () => unknown, n: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

interface Row { name: string; baseline: string; subjectOps: number; baselineOps: number; ratio: number; target?: number }

/**
 * Paired, interleaved measurement: each batch times the baseline and the subject back to back (in a
 * random order) over the same number of calls, and the per-batch ratios' median is reported. On a shared,
 * loaded machine this cancels most of the noise that separate timed loops would pick up.
 */
function compare(name: string, baselineName: string, baseline: () => unknown, subject: () => unknown, target?: number): Row {
  for (let i = 0; i < 20; i++) (baseline(), subject()); // warm-up: JIT and key caches
  const n = Math.max(1, Math.round((BATCH_MS / 1000) / time(baseline, 5) * 5));
  const ratios: number[] = [];
  let tb = 0;
  let ts = 0;
  for (let b = 0; b < BATCHES; b++) {
    let sb: number;
    let ss: number;
    if (Math.random() < 0.5) {
      sb = time(baseline, n);
      ss = time(subject, n);
    } else {
      ss = time(subject, n);
      sb = time(baseline, n);
    }
    tb += sb;
    ts += ss;
    ratios.push(ss / sb); // how many times slower than the bare crypto
  }
  return { name, baseline: baselineName, subjectOps: (BATCHES * n) / ts, baselineOps: (BATCHES * n) / tb, ratio: median(ratios), target };
}

export async function run(): Promise<void> {
  const pems = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const privateKey = createPrivateKey(pems.privateKey);
  const publicKey = createPublicKey(pems.publicKey);
  const apiV3Key = 'abcdefghijklmnopqrstuvwxyz012345';
  const apiV3KeyBytes = Buffer.from(apiV3Key);
  const body = JSON.stringify({ appid: 'wx1234567890abcdef', mchid: '1900000001', description: 'Tea', out_trade_no: 'ORDER_20260520_0001', notify_url: 'https://shop.example.com/pay/notify', amount: { total: 100, currency: 'CNY' }, payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' } });
  const authMessage = Buffer.from(`POST\n/v3/pay/transactions/jsapi\n1700000000\nNONCE0123456789NONCE0123456789AB\n${body}\n`);
  const payMessage = Buffer.from('wx1234567890abcdef\n1700000000\nNONCE0123456789NONCE0123456789AB\nprepay_id=wx201410272009395522657a690389285100\n');

  const now = Date.now();
  const transaction = { appid: 'wx1234567890abcdef', mchid: '1900000001', out_trade_no: 'ORDER_20260520_0001', transaction_id: '4200000001202605200000000001', trade_type: 'JSAPI', trade_state: 'SUCCESS', trade_state_desc: '支付成功', bank_type: 'OTHERS', success_time: '2026-05-20T13:29:35+08:00', payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' }, amount: { total: 100, payer_total: 100, currency: 'CNY', payer_currency: 'CNY' } };
  const serial = 'PUB_KEY_ID_0119000000012026052000000000';
  const built = buildNotification({ eventType: 'TRANSACTION.SUCCESS', resource: transaction, apiV3Key, privateKey, serial, now });
  // As a Node http server receives it: header names in lower case, the body as the raw string.
  const headers: Record<string, string> = Object.fromEntries(Object.entries(built.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const note = { headers, body: built.body };
  const resource = JSON.parse(note.body).resource as { ciphertext: string; nonce: string; associated_data: string };
  const verifyMessage = Buffer.from(`${headers['wechatpay-timestamp']}\n${headers['wechatpay-nonce']}\n${note.body}\n`);
  const signature = Buffer.from(headers['wechatpay-signature'], 'base64');
  const ct = Buffer.from(resource.ciphertext, 'base64');

  const bareSign = (m: Buffer) => () => sign('sha256', m, privateKey);
  /** verify + GCM on pre-decoded inputs: no header reads, no base64, no JSON (reference floor). */
  const bareVerifyGcm = () => {
    if (!verify('sha256', verifyMessage, publicKey, signature)) throw new Error('bench fixture does not verify');
    const d = createDecipheriv('aes-256-gcm', apiV3KeyBytes, Buffer.from(resource.nonce));
    d.setAAD(Buffer.from(resource.associated_data));
    d.setAuthTag(ct.subarray(ct.length - 16));
    return Buffer.concat([d.update(ct.subarray(0, ct.length - 16)), d.final()]);
  };
  /** The bare notification parse (the target's baseline, see the header comment). */
  const bareParse = () => {
    const ts = headers['wechatpay-timestamp'];
    const nonce = headers['wechatpay-nonce'];
    const sig = headers['wechatpay-signature'];
    if (!verify('sha256', Buffer.from(`${ts}\n${nonce}\n${note.body}\n`), publicKey, Buffer.from(sig, 'base64'))) throw new Error('bench fixture does not verify');
    const c = Buffer.from(resource.ciphertext, 'base64');
    const d = createDecipheriv('aes-256-gcm', apiV3KeyBytes, Buffer.from(resource.nonce));
    d.setAAD(Buffer.from(resource.associated_data));
    d.setAuthTag(c.subarray(c.length - 16));
    return JSON.parse(Buffer.concat([d.update(c.subarray(0, c.length - 16)), d.final()]).toString('utf8'));
  };
  const authBase = { method: 'POST', url: '/v3/pay/transactions/jsapi', body, mchid: '1900000001', serialNo: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1' };
  const payBase = { appId: 'wx1234567890abcdef', prepayId: 'wx201410272009395522657a690389285100' };

  const rows = [
    compare('buildAuthorization (KeyObject)', 'crypto.sign', bareSign(authMessage), () => buildAuthorization({ ...authBase, privateKey }), 1.15),
    compare('buildAuthorization (PEM string)', 'crypto.sign', bareSign(authMessage), () => buildAuthorization({ ...authBase, privateKey: pems.privateKey }), 1.15),
    compare('buildPaymentParams (KeyObject)', 'crypto.sign', bareSign(payMessage), () => buildPaymentParams({ ...payBase, privateKey }), 1.15),
    compare('parseNotification (PEM map)', 'bare parse', bareParse, () => parseNotification(note, { apiV3Key, publicKeys: { [serial]: pems.publicKey }, now }), 1.3),
    compare('(reference) parseNotification', 'verify+GCM pre-decoded', bareVerifyGcm, () => parseNotification(note, { apiV3Key, publicKeys: { [serial]: pems.publicKey }, now })),
    compare('(control) crypto.sign vs itself', 'crypto.sign', bareSign(authMessage), bareSign(authMessage)),
    compare('(control) bare parse vs itself', 'bare parse', bareParse, bareParse),
    compare('(reference) sign parsing PEM per call', 'crypto.sign', bareSign(authMessage), () => sign('sha256', authMessage, pems.privateKey)),
  ];

  console.log(`${BATCHES} paired batches of ~${BATCH_MS} ms per side, RSA-2048, node ${process.version}; ratio = median(subject time / baseline time)`);
  console.log(['case'.padEnd(40), 'ops/s'.padStart(9), 'baseline'.padEnd(23), 'ops/s'.padStart(9), 'ratio'.padStart(7), 'target'.padStart(7), ''].join(' '));
  for (const r of rows) {
    const verdict = r.target === undefined ? '' : r.ratio <= r.target ? 'ok' : 'OVER';
    console.log([r.name.padEnd(40), r.subjectOps.toFixed(0).padStart(9), r.baseline.padEnd(23), r.baselineOps.toFixed(0).padStart(9), `${r.ratio.toFixed(3)}×`.padStart(7), (r.target ? `${r.target}×` : '').padStart(7), verdict].join(' '));
  }
  const verdictOf = (r: (typeof rows)[number]): string => (r.target === undefined ? '' : r.ratio <= r.target ? 'ok' : 'OVER');
  recordBench('wechatpay', rows, `${markdownTable(['case', 'ops/s', 'baseline', 'baseline ops/s', 'ratio', 'target', ''],
    rows.map((r) => [r.name, r.subjectOps.toFixed(0), r.baseline, r.baselineOps.toFixed(0), `${r.ratio.toFixed(3)}×`, r.target ? `${r.target}×` : '', verdictOf(r)]))}\n\nRSA-2048; ratio = median over paired batches of (our time / bare crypto time with cached KeyObjects).`);
}

// `npx tsx scripts/bench/wechatpay.ts` (scripts/bench.ts runs it this way); run() is exported for reuse.
if (require.main === module) run().catch((err) => { console.error(err); process.exit(1); });
