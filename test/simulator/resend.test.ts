// POST /__sim/notifications/{id}/resend: one more attempt now, for a delivered, given-up or pending
// notification, with the same body; a pending one's queued retry is superseded, not doubled.
import { control, prepayBody, signedRequest, simWithReceiver } from './helpers';

const world = simWithReceiver({ timeScale: 1 });

async function payOrder(no: string): Promise<string> {
  const { prepay_id } = (await signedRequest(world.sim, 'POST', '/v3/pay/transactions/jsapi', prepayBody(world.sim, no))).json;
  await control(world.sim, 'POST', '/pay', { prepay_id });
  await world.sim.state.settled(0);
  return world.sim.state.deliveries[0].id;
}

test('a delivered notification is sent again with the same body, the attempt marked manual', async () => {
  const id = await payOrder('RESEND_0001');
  const r = await control(world.sim, 'POST', `/notifications/${id}/resend`);
  expect(r.status).toBe(202);
  expect(r.json).toMatchObject({ id, state: 'pending' });
  await world.sim.state.settled(0);
  const d = (await control(world.sim, 'GET', '/notifications')).json.notifications[0];
  expect(d.state).toBe('delivered');
  expect(d.attempts.map((a: any) => [a.n, a.outcome, a.manual ?? false])).toEqual([[1, 'delivered', false], [2, 'delivered', true]]);
  expect(world.receiver.received).toHaveLength(2);
  expect(world.receiver.received[1].body).toBe(world.receiver.received[0].body);
});

test('a pending notification is attempted now instead of at its retry time, and only once', async () => {
  world.answer = (_r, n) => (n === 1 ? 500 : 204);
  const id = await payOrder('RESEND_0002');
  const before = world.sim.state.deliveries[0];
  expect(before.state).toBe('pending');
  expect(before.nextAttemptAt).toBeGreaterThan(world.sim.state.now()); // 15 s away at real time scale
  await control(world.sim, 'POST', `/notifications/${id}/resend`);
  await world.sim.state.settled(0);
  expect(before.state).toBe('delivered');
  expect(before.attempts.map((a) => a.outcome)).toEqual(['rejected', 'delivered']);
  // The superseded 15 s retry must not fire later: walk the clock past it.
  await control(world.sim, 'POST', '/clock', { advanceSeconds: 60 });
  await world.sim.state.settled(0);
  expect(before.attempts).toHaveLength(2);
  expect(world.receiver.received).toHaveLength(2);
});

test('an unknown notification id answers 404 NOTIFICATION_NOT_FOUND and changes nothing', async () => {
  await payOrder('RESEND_0003');
  const r = await control(world.sim, 'POST', '/notifications/nope/resend');
  expect(r.status).toBe(404);
  expect(r.json.code).toBe('NOTIFICATION_NOT_FOUND');
  expect(world.sim.state.deliveries[0].attempts).toHaveLength(1);
});
