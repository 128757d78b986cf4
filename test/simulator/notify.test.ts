// Notifications: exactly the real body and headers (verified by lib/wechatpay's parseNotification),
// the retry schedule and give-up under a time scale, and the delivery faults.
import { parseNotification, WxPayError, ERROR_CODES, type WechatPayNotification } from '../../lib/wechatpay';
import { RETRY_SCHEDULE_SECONDS, type WechatSimulator } from '../../emulator/wechat';
import { control, prepayBody, signedRequest, simWithReceiver, startReceiver, startSim, type Received } from './helpers';

// The whole 24 h retry schedule in about 90 ms of real time (at 100 000 it took 0.9 s, once per test that waits it out).
const world = simWithReceiver({ timeScale: 1_000_000 });

const parse = (r: Received): WechatPayNotification =>
  parseNotification(
    { headers: r.headers, body: r.body },
    { apiV3Key: world.sim.credentials.apiV3Key, publicKeys: { [world.sim.credentials.platform.serial]: world.sim.credentials.platform.publicKey } },
  );

async function payOrder(no: string, extra: Record<string, unknown> = {}): Promise<void> {
  const { prepay_id } = (await signedRequest(world.sim, 'POST', '/v3/pay/transactions/jsapi', prepayBody(world.sim, no, extra))).json;
  expect((await control(world.sim, 'POST', '/pay', { prepay_id })).json.errMsg).toBe('requestPayment:ok');
}

const log = async () => (await control(world.sim, 'GET', '/__sim/notifications'.replace('/__sim', ''))).json.notifications;

test('a payment notification arrives at the redirected local URL and verifies with parseNotification', async () => {
  await payOrder('NOTE_000001', { attach: 'cart-7' });
  await world.sim.state.settled();
  expect(world.receiver.received).toHaveLength(1);
  const n = parse(world.receiver.received[0]);
  expect(n).toMatchObject({ event_type: 'TRANSACTION.SUCCESS', resource_type: 'encrypt-resource', summary: '支付成功' });
  expect(n.resource).toMatchObject({ out_trade_no: 'NOTE_000001', trade_state: 'SUCCESS', attach: 'cart-7', amount: { total: 100, payer_total: 100 }, mchid: world.sim.credentials.mchid, appid: world.sim.credentials.appid });
  const raw = JSON.parse(world.receiver.received[0].body);
  expect(raw.resource).toMatchObject({ algorithm: 'AEAD_AES_256_GCM', associated_data: 'transaction', original_type: 'transaction' });
  expect(raw.resource.nonce).toHaveLength(12);
  expect(world.receiver.received[0].headers['wechatpay-signature-type']).toBe('WECHATPAY2-SHA256-RSA2048');
  const [d] = await log();
  expect(d).toMatchObject({ state: 'delivered', notify_url: 'https://notify.local.test/pay/notify', attempts: [{ n: 1, outcome: 'delivered', statuses: [204] }] });
  expect(world.receiver.received[0].headers.host).toMatch(/^127\.0\.0\.1:/);
});

test('re-serialising the received body breaks verification (the most common bug)', async () => {
  await payOrder('NOTE_000002');
  await world.sim.state.settled();
  const r = world.receiver.received[0];
  const reserialised = JSON.stringify(JSON.parse(r.body), null, 1);
  expect(() => parse({ headers: r.headers, body: reserialised })).toThrow(expect.objectContaining({ code: ERROR_CODES.SIGNATURE_INVALID }));
});

test('failures are retried on the real schedule, compressed by the time scale, then given up and logged', async () => {
  world.answer = () => 500;
  await payOrder('NOTE_000003');
  await world.sim.state.settled();
  const [d] = await log();
  expect(d.state).toBe('gave_up');
  expect(d.attempts).toHaveLength(1 + RETRY_SCHEDULE_SECONDS.length);
  expect(d.attempts.map((a: any) => a.scheduledDelaySeconds)).toEqual([0, 15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600]);
  expect(d.attempts.every((a: any) => a.outcome === 'rejected' && a.statuses[0] === 500)).toBe(true);
  expect(world.receiver.received).toHaveLength(16);
  // Every retry carries the same notification (same id and body), signed afresh.
  expect(new Set(world.receiver.received.map((r) => r.body)).size).toBe(1);
  expect(world.receiver.received.every((r) => parse(r).id === d.id)).toBe(true);
});

test('a retry that succeeds ends the schedule', async () => {
  world.answer = (_r, n) => (n < 3 ? 503 : 200);
  await payOrder('NOTE_000004');
  await world.sim.state.settled();
  const [d] = await log();
  expect(d.state).toBe('delivered');
  expect(d.attempts.map((a: any) => a.outcome)).toEqual(['rejected', 'rejected', 'delivered']);
});

describe('at real time scale, the clock control walks the schedule', () => {
  let slow: WechatSimulator;
  beforeAll(async () => {
    // A frozen base clock: only POST /__sim/clock moves business time, so a slow machine cannot let
    // the real 15 s retry timer catch up between the 14 s advance and the check.
    const frozen = Date.now();
    slow = await startSim({ timeScale: 1, clock: () => frozen, notifyRedirects: { 'https://notify.local.test': world.receiver.url } });
  });
  afterAll(() => slow.close());

  test('nothing is retried until business time has advanced by the next delay', async () => {
    world.answer = () => 500;
    const { prepay_id } = (await signedRequest(slow, 'POST', '/v3/pay/transactions/jsapi', prepayBody(slow, 'NOTE_000005'))).json;
    await control(slow, 'POST', '/pay', { prepay_id });
    await slow.state.settled(0);
    const attempts = () => slow.state.deliveries[0].attempts.length;
    expect(attempts()).toBe(1);
    await control(slow, 'POST', '/clock', { advanceSeconds: 14 });
    await slow.state.settled(0);
    expect(attempts()).toBe(1);
    await control(slow, 'POST', '/clock', { advanceSeconds: 1 });
    await slow.state.settled(0);
    expect(attempts()).toBe(2);
    world.answer = () => 204;
    await control(slow, 'POST', '/clock', { advanceSeconds: 15 });
    await slow.state.settled(0);
    expect(slow.state.deliveries[0].state).toBe('delivered');
  });
});

test('an unroutable https notify_url (no redirect) is never contacted and counts as a failed attempt', async () => {
  await payOrder('NOTE_000006', { notify_url: 'https://merchant.example.com/notify' });
  await world.sim.state.settled();
  const [d] = await log();
  expect(d.target).toBeUndefined();
  expect(d.state).toBe('gave_up');
  expect(d.attempts[0]).toMatchObject({ outcome: 'unroutable' });
  expect(d.attempts[0].error).toMatch(/notifyRedirects/);
  expect(world.receiver.received).toHaveLength(0);
});

describe('delivery faults', () => {
  test('dropNotifications 1: nothing ever reaches the merchant, the log says dropped and gave_up', async () => {
    await control(world.sim, 'POST', '/faults', { dropNotifications: 1 });
    await payOrder('FNOTE_00001');
    await world.sim.state.settled();
    const [d] = await log();
    expect(d.state).toBe('gave_up');
    expect(d.attempts.every((a: any) => a.outcome === 'dropped')).toBe(true);
    expect(world.receiver.received).toHaveLength(0);
  });

  test('duplicateNotifications 3 concurrent: three identical valid copies arrive', async () => {
    await control(world.sim, 'POST', '/faults', { duplicateNotifications: 3, concurrentDuplicates: true });
    await payOrder('FNOTE_00002');
    await world.sim.state.settled();
    expect(world.receiver.received).toHaveLength(3);
    expect(new Set(world.receiver.received.map((r) => parse(r).id)).size).toBe(1);
    expect((await log())[0].attempts[0].statuses).toEqual([204, 204, 204]);
  });

  test('signProbe: a WECHATPAY/SIGNTEST/ probe comes first and fails parseNotification; the real copy follows', async () => {
    await control(world.sim, 'POST', '/faults', { signProbe: true });
    await payOrder('FNOTE_00003');
    await world.sim.state.settled();
    expect(world.receiver.received).toHaveLength(2);
    expect(String(world.receiver.received[0].headers['wechatpay-signature'])).toMatch(/^WECHATPAY\/SIGNTEST\//);
    expect(() => parse(world.receiver.received[0])).toThrow(WxPayError);
    expect(parse(world.receiver.received[1]).event_type).toBe('TRANSACTION.SUCCESS');
  });

  test('corrupted signature fails at the signature check; corrupted ciphertext fails at decryption', async () => {
    world.answer = () => 400; // a correct merchant refuses what does not verify → retried → corrupted again
    await control(world.sim, 'POST', '/faults', { corruptNotifications: 1, corruptMode: 'signature' });
    await payOrder('FNOTE_00004');
    await world.sim.state.settled();
    expect(() => parse(world.receiver.received[0])).toThrow(expect.objectContaining({ code: ERROR_CODES.SIGNATURE_INVALID }));
    world.receiver.received.length = 0;
    await control(world.sim, 'POST', '/faults', { corruptNotifications: 1, corruptMode: 'ciphertext' });
    await payOrder('FNOTE_00005');
    await world.sim.state.settled();
    expect(() => parse(world.receiver.received[0])).toThrow(expect.objectContaining({ code: ERROR_CODES.DECRYPT_FAILED }));
    expect((await log())[1].attempts[0].corrupted).toBe('ciphertext');
  });

  test('delay and reorder hold first attempts back in business time', async () => {
    const slowSim = await startSim({ timeScale: 1, notifyRedirects: { 'https://notify.local.test': world.receiver.url } });
    try {
      // Seed 42: the three first attempts draw jitters 18033, 13449, 25574 ms (mulberry32), so the
      // second order is due first and the third last.
      await control(slowSim, 'POST', '/faults', { notificationDelayMs: 60_000, reorderWindowMs: 30_000, seed: 42 });
      for (const no of ['ORDER_00001', 'ORDER_00002', 'ORDER_00003']) {
        const { prepay_id } = (await signedRequest(slowSim, 'POST', '/v3/pay/transactions/jsapi', prepayBody(slowSim, no))).json;
        await control(slowSim, 'POST', '/pay', { prepay_id });
      }
      await slowSim.state.settled();
      expect(world.receiver.received).toHaveLength(0);
      const due = slowSim.state.deliveries.map((d) => d.nextAttemptAt! - d.createdAt);
      expect(due).toEqual([78_033, 73_449, 85_574]);
      const byDue = [...slowSim.state.deliveries].sort((a, b) => a.nextAttemptAt! - b.nextAttemptAt!).map((d) => d.out_trade_no);
      expect(byDue).toEqual(['ORDER_00002', 'ORDER_00001', 'ORDER_00003']);
      // One jump past all three due times: they still go out in due order, not in payment order.
      await control(slowSim, 'POST', '/clock', { advanceSeconds: 90 });
      await slowSim.state.settled();
      expect(world.receiver.received).toHaveLength(3);
      const order = world.receiver.received.map((r) => parse(r).resource.out_trade_no);
      expect(order).toEqual(['ORDER_00002', 'ORDER_00001', 'ORDER_00003']);
    } finally {
      await slowSim.close();
    }
  });
});

test('a refund outcome is notified with REFUND.SUCCESS and a refund resource', async () => {
  await payOrder('NOTE_000007');
  await signedRequest(world.sim, 'POST', '/v3/refund/domestic/refunds', {
    out_trade_no: 'NOTE_000007', out_refund_no: 'RN_1', notify_url: 'https://notify.local.test/refund/notify', amount: { refund: 100, total: 100, currency: 'CNY' },
  });
  await world.sim.state.settled();
  const refundNote = world.receiver.received.map(parse).find((n) => n.event_type === 'REFUND.SUCCESS');
  expect(refundNote).toBeDefined();
  expect(refundNote!.resource).toMatchObject({ out_refund_no: 'RN_1', refund_status: 'SUCCESS', amount: { refund: 100, total: 100 } });
  expect(JSON.parse(world.receiver.received.find((r) => r.body.includes('REFUND.SUCCESS'))!.body).resource.associated_data).toBe('refund');
});

test('a receiver slower than the delivery timeout counts as a timeout', async () => {
  const quick = await startSim({ timeScale: 1, deliveryTimeoutMs: 200, notifyRedirects: { 'https://notify.local.test': world.receiver.url } });
  try {
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    const stuck = await startReceiver(async () => {
      await hold;
      return 204;
    });
    quick.state.notifyRedirects['https://slow.local.test'] = stuck.url;
    const { prepay_id } = (await signedRequest(quick, 'POST', '/v3/pay/transactions/jsapi', prepayBody(quick, 'SLOW_000001', { notify_url: 'https://slow.local.test/n' }))).json;
    await control(quick, 'POST', '/pay', { prepay_id });
    await quick.state.settled();
    expect(quick.state.deliveries[0].attempts[0].outcome).toBe('timeout');
    release();
    await stuck.close();
  } finally {
    await quick.close();
  }
});

test('reset drops pending retries and the log; nothing is delivered afterwards', async () => {
  const slow = await startSim({ timeScale: 1, notifyRedirects: { 'https://notify.local.test': world.receiver.url } });
  try {
    world.answer = () => 500;
    const { prepay_id } = (await signedRequest(slow, 'POST', '/v3/pay/transactions/jsapi', prepayBody(slow, 'RESET_00001'))).json;
    await control(slow, 'POST', '/pay', { prepay_id });
    await slow.state.settled(0);
    expect(world.receiver.received).toHaveLength(1);
    expect((await control(slow, 'POST', '/reset')).status).toBe(204);
    await control(slow, 'POST', '/clock', { advanceSeconds: 3600 });
    await slow.state.settled(0);
    expect(world.receiver.received).toHaveLength(1);
    expect(slow.state.deliveries).toHaveLength(0);
    expect((await control(slow, 'GET', '/transactions')).json.transactions).toEqual([]);
  } finally {
    await slow.close();
  }
});
