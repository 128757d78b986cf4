// The console's JSON API over real HTTP against the real stack: views composed from the documented
// interfaces, bad input refused with stable codes, keys never served, live events.
import { request } from 'node:http';
import { KNOWN_COLLECTIONS } from '../../emulator/console/api';
import { sseReader } from './sse';
import { CONSOLE_STAFF, consolePerFile, finishRefunds, type ConsoleFixture } from './stack';

let fx: ConsoleFixture;
consolePerFile((f) => void (fx = f));

async function api(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: any; text: string }> {
  const res = await fetch(`${fx.console.url}${path}`, {
    method,
    headers: method === 'POST' ? { 'content-type': 'application/json' } : {},
    body: body === undefined ? (method === 'POST' ? '{}' : undefined) : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, text };
}

async function paidOrder(openid: string): Promise<string> {
  const created = await api('POST', '/api/functions/createOrder', { openid, data: { items: [{ productId: 'tea', quantity: 1 }] } });
  const no = created.body.result.outTradeNo as string;
  expect((await api('POST', '/api/pay', { outTradeNo: no })).body).toMatchObject({ errMsg: 'requestPayment:ok', trade_state: 'SUCCESS' });
  // Delivered = payNotify answered, so everything it writes (transition, audit record) is in.
  await fx.harness.waitFor('notification delivered', async () => (await api('GET', `/api/orders/${no}`)).body.notifications[0]?.state === 'delivered');
  return no;
}

test('an order view joins the document, its payment_events, the ledger entry and the decrypted notification', async () => {
  const no = await paidOrder('o-api-1');
  const { body } = await api('GET', `/api/orders/${no}`);
  expect(body.order).toMatchObject({ _id: no, status: 'SUCCESS', transitions: [{ from: 'NOTPAY', to: 'SUCCESS', source: 'notify' }] });
  expect(body.events.map((e: any) => e.kind).sort()).toEqual(['notification', 'transition']);
  expect(body.transaction).toMatchObject({ out_trade_no: no, trade_state: 'SUCCESS' });
  expect(body.notifications).toHaveLength(1);
  expect(body.notifications[0]).toMatchObject({ state: 'delivered', summary: '支付成功', payload: { out_trade_no: no, trade_state: 'SUCCESS', amount: { total: 1200 } } });
  expect(body.notifications[0].body).toBeUndefined(); // the encrypted envelope stays on the server
});

test('collections filter by status through the admin wire', async () => {
  const paid = await paidOrder('o-api-2');
  const pending = (await fx.harness.call('createOrder', { items: [{ productId: 'cake', quantity: 1 }] }, 'o-api-2')).outTradeNo;
  const ids = async (q: string) => (await api('GET', `/api/collections/orders${q}`)).body.docs.map((d: any) => d._id);
  expect(await ids('?status=SUCCESS')).toContain(paid);
  expect(await ids('?status=SUCCESS')).not.toContain(pending);
  expect(await ids('?status=NOTPAY')).toContain(pending);
  const counts = (await api('GET', '/api/collections')).body.collections;
  expect(counts.find((c: any) => c.name === 'products').count).toBeGreaterThan(0);
  expect((await api('GET', `/api/collections/orders/${pending}`)).body.doc).toMatchObject({ _id: pending, status: 'NOTPAY' });
});

test('refunds filter by their own statuses; each collection lists the statuses it can be filtered by', async () => {
  const no = await paidOrder('o-api-7');
  const made = await api('POST', '/api/functions/refundOrder', { openid: CONSOLE_STAFF, data: { outTradeNo: no, reason: 'Console test' } });
  expect(made.body.result.refund).toMatchObject({ outTradeNo: no, status: 'PROCESSING' });
  const refundNo = made.body.result.refund.outRefundNo as string;
  const ids = async (q: string) => {
    const r = await api('GET', `/api/collections/refunds${q}`);
    expect(r.status).toBe(200);
    return r.body.docs.map((d: any) => d._id);
  };
  // WeChat Pay (the simulator, real time) takes 5 s to finish a refund: PROCESSING until then.
  expect(await ids('?status=PROCESSING')).toContain(refundNo);
  expect(await ids('?status=SUCCESS')).not.toContain(refundNo);
  await finishRefunds(fx);
  await fx.harness.waitFor('refund SUCCESS', async () => (await ids('?status=SUCCESS')).includes(refundNo));
  expect(await ids('?status=PROCESSING')).not.toContain(refundNo);
  expect(await ids('?status=ABNORMAL')).not.toContain(refundNo);

  const listed = (await api('GET', '/api/collections')).body.collections;
  const statuses = Object.fromEntries(listed.map((c: any) => [c.name, c.statuses]));
  expect(statuses).toMatchObject({ orders: ['NOTPAY', 'SUCCESS', 'CLOSED', 'PAYERROR', 'REFUND'], refunds: ['PROCESSING', 'SUCCESS', 'CLOSED', 'ABNORMAL'], products: [], payment_events: [] });
  // Another collection's words are refused, not silently matched against nothing.
  for (const [path, message] of [
    ['/api/collections/refunds?status=NOTPAY', /status of refunds must be one of PROCESSING, SUCCESS, CLOSED, ABNORMAL/],
    ['/api/collections/orders?status=PROCESSING', /status of orders must be one of NOTPAY/],
    ['/api/collections/payment_events?status=SUCCESS', /payment_events has no status/],
  ] as const) {
    const r = await api('GET', path);
    expect([path, r.status, r.body.error.code]).toEqual([path, 400, 'INVALID_INPUT']);
    expect(r.body.error.message).toMatch(message);
  }
}, 30_000);

test('bad input gets a stable code and changes nothing', async () => {
  const before = await fx.harness.stack.admin.count('orders');
  const cases: Array<[string, string, unknown, number, string]> = [
    ['GET', '/api/collections/secrets', undefined, 404, 'UNKNOWN_COLLECTION'],
    ['GET', '/api/collections/orders?status=PAID', undefined, 400, 'INVALID_INPUT'],
    ['GET', '/api/collections/orders/nope', undefined, 404, 'DOCUMENT_NOT_FOUND'],
    ['GET', '/api/orders/nope', undefined, 404, 'ORDER_NOT_FOUND'],
    ['POST', '/api/pay', {}, 400, 'INVALID_INPUT'],
    ['POST', '/api/pay', { outTradeNo: 'nope' }, 404, 'PREPAY_NOT_FOUND'],
    ['POST', '/api/pay', { outTradeNo: 'nope', result: 'MAYBE' }, 400, 'INVALID_INPUT'],
    ['POST', '/api/functions/createOrder', { data: {} }, 400, 'INVALID_INPUT'],
    ['POST', '/api/faults/simulator', '[1,2', 400, 'INVALID_JSON'],
    ['GET', '/api/pay', undefined, 405, 'METHOD_NOT_ALLOWED'],
    ['GET', '/api/nothing', undefined, 404, 'NOT_FOUND'],
  ];
  for (const [method, path, body, status, code] of cases) {
    const r = await api(method as 'GET' | 'POST', path, body);
    expect([path, r.status, r.body.error?.code]).toEqual([path, status, code]);
  }
  // Upstream refusals are relayed as they are: the simulator's own code for an unknown fault.
  const bad = await api('POST', '/api/faults/simulator', { dropEverything: 1 });
  expect([bad.status, bad.body.code]).toEqual([400, 'PARAM_ERROR']);
  expect(await fx.harness.stack.admin.count('orders')).toBe(before);
});

/**
 * Every fragment that would give a key away: 24-character pieces at each multiple of 24 of every
 * PEM body line (any leaked run of 48+ characters of a line contains one; a chance base64 match is
 * ~2^-144), and the APIv3 key whole and in base64. Same idea as test/hygiene/secrets.test.ts.
 */
function keyFragments(c: { apiV3Key: string; merchant: { privateKey: string }; platform: { privateKey: string } }): Array<[string, string]> {
  const pieces = (pem: string) => pem.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('-----'))
    .flatMap((l) => Array.from({ length: Math.floor(l.length / 24) }, (_x, k) => l.slice(k * 24, k * 24 + 24)));
  return [
    ...pieces(c.merchant.privateKey).map((p): [string, string] => ['merchant private key', p]),
    ...pieces(c.platform.privateKey).map((p): [string, string] => ['platform private key', p]),
    ['APIv3 key', c.apiV3Key],
    ['APIv3 key (base64)', Buffer.from(c.apiV3Key).toString('base64')],
  ];
}

const leaks = (text: string, fragments: Array<[string, string]>): string[] => [...new Set(fragments.filter(([, f]) => text.includes(f)).map(([what]) => what))];

test('no key is ever served: not in the page, the bundle or any API answer', async () => {
  const no = await paidOrder('o-api-3');
  const c = fx.harness.stack.credentials;
  const fragments = keyFragments(c);
  // The check itself catches key material from the middle of a key, not only a PEM's common prefix.
  const middle = c.merchant.privateKey.replace(/-----[^-]+-----/g, '').split('\n').filter(Boolean)[10];
  expect(leaks(`{"x":"${middle.slice(5, 60)}"}`, fragments)).toEqual(['merchant private key']);
  expect(leaks(c.platform.privateKey.slice(300, 420), fragments)).toEqual(['platform private key']);

  const paths = ['/', '/app.js', '/app.css', '/api/info', '/api/notifications', '/api/transactions', '/api/faults', '/api/collections',
    `/api/orders/${no}`, ...KNOWN_COLLECTIONS.map((name) => `/api/collections/${name}`)];
  for (const p of paths) {
    const res = await fetch(fx.console.url + p);
    expect([p, res.status]).toEqual([p, 200]);
    expect([p, leaks(await res.text(), fragments)]).toEqual([p, []]);
  }
});

test('a notification can be re-sent through the console; the merchant acks the duplicate', async () => {
  const no = await paidOrder('o-api-4');
  const [n] = (await api('GET', `/api/orders/${no}`)).body.notifications;
  const r = await api('POST', `/api/notifications/${n.id}/resend`);
  expect(r.status).toBe(202);
  await fx.harness.waitFor('second attempt', async () => {
    const [again] = (await api('GET', `/api/orders/${no}`)).body.notifications;
    return again.attempts.length === 2 && again.state === 'delivered' ? again : undefined;
  });
  expect((await fx.harness.order(no)).transitions).toHaveLength(1);
});

test('/api/events streams the change an action causes: a new order shows up in the orders part', async () => {
  const controller = new AbortController();
  const res = await fetch(`${fx.console.url}/api/events`, { signal: controller.signal });
  expect(res.headers.get('content-type')).toBe('text/event-stream');
  const sse = sseReader(res.body!);
  try {
    // hello carries the stream's version; no change is owed before something moves (the stream's
    // digests outlive earlier subscribers, so waiting for a "first fingerprint" could hang).
    await sse.next((e) => e.event === 'hello');
    const before = sse.drained();
    const no = (await fx.harness.call('createOrder', { items: [{ productId: 'tea', quantity: 1 }] }, 'o-api-5')).outTradeNo as string;
    const change = await sse.next((e) => e.event === 'change' && e.data.version > before && e.data.changed.includes('orders'));
    expect(change.data.changed).toEqual(expect.arrayContaining(['counts', 'orders']));
    // What the event announced is there to fetch.
    expect((await api('GET', '/api/collections/orders')).body.docs.map((d: any) => d._id)).toContain(no);
  } finally {
    controller.abort();
  }
});

/** A raw request, so the Host header can be anything (fetch won't let it be set). */
function raw(path: string, method: string, headers: Record<string, string>, body = ''): Promise<{ status: number; body: any }> {
  const { port } = new URL(fx.console.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('other web sites cannot drive it: foreign Host, cross-origin or non-JSON POSTs are refused and change nothing', async () => {
  await fx.harness.call('createOrder', { items: [{ productId: 'tea', quantity: 1 }] }, 'o-api-6');
  const before = await fx.harness.stack.admin.count('orders');
  const rebound = await raw('/api/collections/orders', 'GET', { host: 'evil.example:8792' });
  expect([rebound.status, rebound.body.error.code]).toEqual([403, 'FORBIDDEN_HOST']);
  const crossSite = await raw('/api/reset', 'POST', { host: new URL(fx.console.url).host, origin: 'https://evil.example', 'content-type': 'application/json' }, '{}');
  expect([crossSite.status, crossSite.body.error.code]).toEqual([403, 'FORBIDDEN_ORIGIN']);
  const form = await raw('/api/reset', 'POST', { host: new URL(fx.console.url).host, 'content-type': 'text/plain' }, '{}');
  expect([form.status, form.body.error.code]).toEqual([415, 'JSON_REQUIRED']);
  expect(await fx.harness.stack.admin.count('orders')).toBe(before);
});
