// createApp(state): the request listener. Every request passes the cross-site guard
// (emulator/shared/guard.ts); /v3 calls then go: faults → authenticate → handler → signed answer.
// Nothing listens here; index.ts does.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { refuseCrossSite } from '../shared/guard';
import { authenticate } from './auth';
import * as bills from './bills/routes';
import { downloadCertificates } from './certificates';
import * as sim from './control';
import { simGetKeys, simSetKeys } from './keys';
import { SimError } from './errors';
import { apiLatency, drawApiFault } from './faults';
import { errorReply, match, readBody, send, type Ctx, type Reply, type Route } from './http';
import { jscode2session } from './login';
import { createRefund, queryRefund } from './refunds';
import type { SimState } from './state';
import { closeOrder, jsapiPrepay, queryByOutTradeNo, queryByTransactionId } from './transactions';

const SEG = '([^/]+)';
const route = (method: string, path: string, handler: Route['handler'], kind: Route['kind'] = 'v3', readOnly = false): Route => ({
  method,
  pattern: new RegExp(`^${path.replace(/\{\w+\}/g, SEG)}$`),
  handler,
  kind,
  ...(readOnly ? { readOnly } : {}),
});
/** A query: nothing it does needs saving (see Route.readOnly). */
const query = (path: string, handler: Route['handler'], kind: Route['kind'] = 'v3'): Route => route('GET', path, handler, kind, true);

export const ROUTES: Route[] = [
  route('POST', '/v3/pay/transactions/jsapi', jsapiPrepay),
  query('/v3/pay/transactions/out-trade-no/{no}', queryByOutTradeNo),
  query('/v3/pay/transactions/id/{id}', queryByTransactionId),
  route('POST', '/v3/pay/transactions/out-trade-no/{no}/close', closeOrder),
  route('POST', '/v3/refund/domestic/refunds', createRefund),
  query('/v3/refund/domestic/refunds/{no}', queryRefund),
  query('/v3/certificates', downloadCertificates),
  ...bills.BILL_ROUTES.map((r) => route(r.method, r.path, r.handler, r.kind)),
  route('GET', '/sns/jscode2session', jscode2session, 'plain'),
  route('POST', '/__sim/pay', sim.simPay, 'plain'),
  query('/__sim/notifications', sim.simNotifications, 'plain'),
  route('POST', '/__sim/notifications/{id}/resend', sim.simResendNotification, 'plain'),
  query('/__sim/faults', sim.simGetFaults, 'plain'),
  route('POST', '/__sim/faults', sim.simSetFaults, 'plain'),
  route('POST', '/__sim/reset', sim.simReset, 'plain'),
  route('POST', '/__sim/login-code', sim.simLoginCode, 'plain'),
  query('/__sim/clock', sim.simGetClock, 'plain'),
  route('POST', '/__sim/clock', sim.simAdvanceClock, 'plain'),
  query('/__sim/transactions', sim.simTransactions, 'plain'),
  route('POST', '/__sim/certificates/rotate', sim.simRotateCertificate, 'plain'),
  query('/__sim/info', sim.simInfo, 'plain'),
  query('/__sim/keys', simGetKeys, 'plain'),
  route('POST', '/__sim/keys', simSetKeys, 'plain'),
];

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** API faults happen before any state is touched, like a gateway failing in front of the service. */
function apiFault(state: SimState): Reply | undefined {
  const fault = drawApiFault(state.faults, state.prng);
  return fault && { status: fault.status, body: { code: fault.code, message: fault.message } };
}

async function handle(state: SimState, req: IncomingMessage): Promise<{ reply: Reply; signed: boolean; readOnly?: boolean }> {
  const rawUrl = req.url ?? '/';
  const q = rawUrl.indexOf('?');
  const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const signed = path.startsWith('/v3/');
  // /v3 bodies are checked by the route as WeChat Pay does (400 INVALID_REQUEST); a form can't sign them anyway.
  const refused = refuseCrossSite(req, { service: 'the WeChat Pay simulator', bodyTypes: signed ? null : undefined });
  if (refused) return { reply: { status: refused.status, body: { code: refused.code, message: refused.message } }, signed: false };
  const found = match(ROUTES, req.method ?? 'GET', path);
  const rawBody = await readBody(req);
  if (found === undefined) return { reply: errorReply(new SimError(404, 'NOT_FOUND', `no route ${path}`)), signed };
  if (found === 'method') return { reply: errorReply(new SimError(405, 'METHOD_NOT_ALLOWED', `${req.method} not allowed on ${path}`)), signed };
  const ctx: Ctx = {
    method: req.method ?? 'GET', rawUrl, path, query: new URLSearchParams(q < 0 ? '' : rawUrl.slice(q + 1)),
    params: found.params, headers: req.headers, rawBody, mchid: '',
  };
  const readOnly = found.route.readOnly === true;
  try {
    if (found.route.kind === 'v3') {
      const latency = apiLatency(state.faults);
      if (latency) await delay(latency);
      const fault = apiFault(state);
      if (fault) return { reply: fault, signed, readOnly };
      ctx.mchid = authenticate(state, ctx).mchid;
    }
    return { reply: await found.route.handler(state, ctx), signed, readOnly };
  } catch (err) {
    // A refused query changed nothing either (e.g. 404 ORDER_NOT_EXIST).
    return { reply: errorReply(err), signed, readOnly };
  }
}

export function createApp(state: SimState): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    // The bill file is the one /v3 answer that is not JSON and not signed: its own writer.
    if (bills.isBillDownload(req)) {
      bills.serveBillDownload(state, req, res).catch(() => res.destroy());
      return;
    }
    const signedPath = (req.url ?? '').startsWith('/v3/');
    handle(state, req)
      .catch((err: unknown) => ({ reply: errorReply(err), signed: signedPath, readOnly: false }))
      // Whatever the request changed is on disk before the answer says it happened; a query changed
      // nothing, but what it reports may still be on its way to disk (a scheduled task's write).
      .then((answer) => (answer.readOnly ? state.durable() : state.persist()).then(() => answer, (err: unknown) => ({ reply: errorReply(err), signed: signedPath })))
      .then(({ reply, signed }) => send(state, res, reply, signed, req.headers))
      .catch(() => res.destroy());
  };
}
