/**
 * The CLI speaks Chinese by default and English when asked (--lang en, or LANG=en_US.UTF-8), with
 * the same error codes and identifiers in both: `npm run demo` run for real on its embedded stack in
 * each language, and the language rules of the loader itself. (npm start and npm run local are
 * checked in both languages in test/local/start.test.ts, npm run receipt in the fulfilment loop,
 * doctor and deploy in test/deploy.)
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import type { BillReconciliationView } from '../../lib/bills/model';
import { formatBillDay } from '../../scripts/local/bill-report';
import { cliArgs, cliLang, displayWidth, langFromEnv, padEndDisplay, setCliLang, splitLangFlag, t } from '../../scripts/i18n';

jest.setTimeout(180_000);
const ROOT = path.resolve(__dirname, '..', '..');
const TSX = require.resolve('tsx/cjs');
// The host's locale must not decide what a test expects.
const { LC_ALL: _all, LC_MESSAGES: _messages, LANG: _lang, ...hostEnv } = process.env;

function run(script: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--require', TSX, path.join(ROOT, script), ...args], { cwd: ROOT, env: { ...hostEnv, ...env }, maxBuffer: 16 << 20 }, (e, stdout, stderr) =>
      resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, out: stdout, err: stderr }));
  });
}

describe('npm run demo', () => {
  it('prints the payment loop in Chinese by default (LANG=C), identifiers as WeChat writes them', async () => {
    const r = await run('scripts/demo.ts', [], { LANG: 'C.UTF-8' });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    for (const text of [
      'wxcloud-pay 演示：在本地环境跑通整个支付流程（无需联网，无需账号）',
      '✓ 构建云函数并启动本地环境',
      '✓ 支付（在模拟器中 wx.requestPayment）',
      '（由服务端计价）',
      'paySign 已验证',
      '✓ queryOrder（客户端确认）',
      '状态 SUCCESS',
      '只在收到验签通过的支付通知后才确认',
      '平台 order_state 4（交易完成），已推送结算消息',
      '履约状态 SETTLED，支付状态仍为 SUCCESS',
      '：MATCHED — 账单每一行都与我们的记录一致',
      '行云函数日志；加 -- --verbose 可查看）',
    ]) expect(r.out).toContain(text);
    expect(r.out).toMatch(/TRANSACTION\.SUCCESS，已签名 \+ AES-256-GCM 加密，应答 HTTP 20\d/);
    expect(r.out).not.toMatch(/believed only|payment row\(s\)|\bBill \d{4}/);
    // Chinese step titles are padded by terminal columns, so the timings line up.
    const steps = r.out.split('\n').filter((l) => l.startsWith('  ✓ '));
    expect(steps.length).toBeGreaterThanOrEqual(10);
    expect(new Set(steps.map((l) => displayWidth(l.slice(0, l.indexOf(' ms  ')))))).toEqual(new Set([4 + 42 + 1 + 5]));
  });

  it('prints it in English with --lang en', async () => {
    const r = await run('scripts/demo.ts', ['--lang', 'en'], { LANG: 'zh_CN.UTF-8' });
    expect(r.code).toBe(0);
    for (const text of [
      'wxcloud-pay demo: the payment loop on the local stack (no network, no account)',
      '✓ build functions + start the stack',
      'believed only after a verified notification',
      'fulfilment SETTLED, payment status still SUCCESS',
      ': MATCHED — every line of the bill matches our records',
    ]) expect(r.out).toContain(text);
    expect(r.out).not.toMatch(/演示|已验证|账单每一行/);
  });
});

describe('npm run bill / receipt without a stack', () => {
  const noStack = { CLOUDBASE_URL: 'http://127.0.0.1:9' };
  it('say what to do, in Chinese by default and in English on request, with the same exit code', async () => {
    const zh = await run('scripts/bill.ts', ['2026-12-01'], { ...noStack, LANG: 'C' });
    expect(zh).toMatchObject({ code: 2, err: expect.stringContaining('http://127.0.0.1:9 上没有本地环境：用 `npm start` 启动（或设置 CLOUDBASE_URL）') });
    const en = await run('scripts/bill.ts', ['2026-12-01'], { ...noStack, LANG: 'en_US.UTF-8' });
    expect(en).toMatchObject({ code: 2, err: expect.stringContaining('no local stack at http://127.0.0.1:9: start it with `npm start`') });
    expect(await run('scripts/receipt.ts', ['nonsense'], noStack)).toMatchObject({ code: 2, out: expect.stringContaining('用法：npm run receipt -- confirm <outTradeNo>') });
    expect(await run('scripts/receipt.ts', ['--lang=en', 'nonsense'], noStack)).toMatchObject({ code: 2, out: expect.stringContaining('usage: npm run receipt -- confirm <outTradeNo>') });
  });
});

describe('the CLI language', () => {
  afterEach(() => setCliLang('zh-CN'));

  it('is Chinese unless --lang or the locale (LC_ALL > LC_MESSAGES > LANG) says English', () => {
    expect(langFromEnv({})).toBe('zh-CN');
    expect(langFromEnv({ LANG: 'C.UTF-8' })).toBe('zh-CN');
    expect(langFromEnv({ LANG: 'en_US.UTF-8' })).toBe('en');
    expect(langFromEnv({ LANG: 'en_US.UTF-8', LC_MESSAGES: 'zh_CN.UTF-8' })).toBe('zh-CN');
    expect(langFromEnv({ LANG: 'zh_CN.UTF-8', LC_ALL: 'en_GB.UTF-8' })).toBe('en');
    expect(cliArgs(['pay', '--lang', 'en', 'X1'], { LANG: 'zh_CN.UTF-8' })).toEqual(['pay', 'X1']);
    expect(cliLang()).toBe('en');
    expect(cliArgs(['--lang=zh-CN', '--strict'], { LANG: 'en_US.UTF-8' })).toEqual(['--strict']);
    expect(cliLang()).toBe('zh-CN');
    expect(splitLangFlag(['a', 'b'])).toEqual({ lang: undefined, args: ['a', 'b'] });
  });

  it('keeps codes and identifiers in both languages', () => {
    for (const lang of ['zh-CN', 'en'] as const) {
      setCliLang(lang);
      expect(t('local.functionRefused', { name: 'refundOrder', code: 'REFUND_TOO_MUCH', message: 'x' })).toContain('refundOrder');
      expect(t('local.functionRefused', { name: 'refundOrder', code: 'REFUND_TOO_MUCH', message: 'x' })).toContain('REFUND_TOO_MUCH');
      expect(t('local.pay.done', { outTradeNo: 'N1', errMsg: 'requestPayment:ok', tradeState: 'SUCCESS' })).toContain('trade_state SUCCESS');
    }
  });

  it("words a bill discrepancy from its kind and both sides' amounts, not lib's English detail", () => {
    const day = {
      _id: '2026-11-20', billDate: '2026-11-20', status: 'DISCREPANCIES', matched: 1, healedCount: 0, healed: [], shifted: 0, runs: 1, updatedAt: '2026-11-21T10:00:00.000Z', discrepancyCount: 2,
      discrepancies: [
        { kind: 'AMOUNT_MISMATCH', outTradeNo: 'N1', bill: { amountFen: 1700 }, ours: { amountFen: 1800, status: 'SUCCESS' }, detail: 'the bill says 1700 fen, our order 1800 fen' },
        { kind: 'SOMETHING_NEWER', outTradeNo: 'N2', detail: 'a kind this CLI does not know' },
      ],
    } as unknown as BillReconciliationView;
    setCliLang('zh-CN');
    const zh = formatBillDay(day);
    expect(zh).toContain('AMOUNT_MISMATCH        N1 账单金额 ¥17.00，我方金额 ¥18.00');
    expect(zh).not.toContain('the bill says');
    expect(zh).toContain('N2 a kind this CLI does not know');
    setCliLang('en');
    expect(formatBillDay(day)).toContain('AMOUNT_MISMATCH        N1 the bill says ¥17.00, ours says ¥18.00');
  });

  it('pads by terminal columns: a Chinese character takes two', () => {
    expect(displayWidth('支付 ab')).toBe(7);
    expect(padEndDisplay('支付', 6)).toBe('支付  ');
    expect(padEndDisplay('pay', 6)).toBe('pay   ');
  });
});
