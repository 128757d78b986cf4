// POST /__sim/notifications/{id}/resend: one more attempt now, for a delivered, given-up or pending
// notification, with the same body; a pending one's queued retry is superseded, not doubled.
import type { WechatSimulator } from '../../emulator/wechat';
import { control, prepayBody, signedRequest, startReceiver, startSim, type Received } from './helpers';

let sim: WechatSimulator;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let answer: (r: Received, n: number) => number = () => 204;

beforeAll(async () => {
  receiver = await startReceiver((r, n) => answer(r, n));
  sim = await startSim({ timeScale: 1, notifyRedirects: { 'https://notify.local.test': receiver.url } });
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});
beforeEach(() => {
  sim.state.reset();
  receiver.received.length = 0;
  answer = () => 204;
});

async function payOrder(no: string): Promise<string> {
  const { prepay_id } = (await signedRequest(sim, 'POST', '/v3/pay/transactions/jsapi', prepayBody(sim, no))).json;
  await control(sim, 'POST', '/pay', { prepay_id });
  await sim.state.settled(0);
  return sim.state.deliveries[0].id;
}

test('a delivered notification is sent again with the same body, the attempt marked manual', async () => {
  const id = await payOrder('RESEND_0001');
  const r = await control(sim, 'POST', `/notifications/${id}/resend`);
  expect(r.status).toBe(202);
  expect(r.json).toMatchObject({ id, state: 'pending' });
  await sim.state.settled(0);
  const d = (await control(sim, 'GET', '/notifications')).json.notifications[0];
  expect(d.state).toBe('delivered');
  expect(d.attempts.map((a: any) => [a.n, a.outcome, a.manual ?? false])).toEqual([[1, 'delivered', false], [2, 'delivered', true]]);
  expect(receiver.received).toHaveLength(2);
  expect(receiver.received[1].body).toBe(receiver.received[0].body);
});

test('a pending notification is attempted now instead of at its retry time, and only once', async () => {
  answer = (_r, n) => (n === 1 ? 500 : 204);
  const id = await payOrder('RESEND_0002');
  const before = sim.state.deliveries[0];
  expect(before.state).toBe('pending');
  expect(before.nextAttemptAt).toBeGreaterThan(sim.state.now()); // 15 s away at real time scale
  await control(sim, 'POST', `/notifications/${id}/resend`);
  await sim.state.settled(0);
  expect(before.state).toBe('delivered');
  expect(before.attempts.map((a) => a.outcome)).toEqual(['rejected', 'delivered']);
  // The superseded 15 s retry must not fire later: walk the clock past it.
  await control(sim, 'POST', '/clock', { advanceSeconds: 60 });
  await sim.state.settled(0);
  expect(before.attempts).toHaveLength(2);
  expect(receiver.received).toHaveLength(2);
});

test('an unknown notification id answers 404 NOTIFICATION_NOT_FOUND and changes nothing', async () => {
  await payOrder('RESEND_0003');
  const r = await control(sim, 'POST', '/notifications/nope/resend');
  expect(r.status).toBe(404);
  expect(r.json.code).toBe('NOTIFICATION_NOT_FOUND');
  expect(sim.state.deliveries[0].attempts).toHaveLength(1);
});
