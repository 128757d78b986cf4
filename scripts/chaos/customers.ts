/**
 * Simulated customers. Each draws a plan from the seeded PRNG and acts it out over HTTP, recording
 * only what it was told (the acknowledgements the final check holds the stack to).
 */
import type { Prng } from '../../emulator/shared/prng';
import { callFunction, postJson, type CallOutcome } from './http';

export type Plan = 'pay' | 'cancelThenPay' | 'never' | 'cancel' | 'payFails' | 'latePay' | 'refund';

/** Weights of each plan, out of their sum. */
export const PLAN_WEIGHTS: Record<Plan, number> = { pay: 45, cancelThenPay: 8, never: 12, cancel: 8, payFails: 7, latePay: 10, refund: 10 };

/**
 * What merchant staff do to a `refund` customer's paid order: refund it in full, refund part of it,
 * or send two refunds at once that together exceed the total (at most one may go through).
 */
export type RefundKind = 'full' | 'partial' | 'concurrent';
const REFUND_KINDS: RefundKind[] = ['full', 'partial', 'concurrent'];

/** The staff member the chaos stack allowlists (REFUND_ADMIN_OPENIDS). */
export const CHAOS_STAFF_OPENID = 'oCHAOSSTAFF00000000000000001';

/** One refundOrder request as staff saw it end. */
export interface RefundAttempt {
  requestKey: string;
  amount?: number;
  /** ok: refundOrder answered a refund; refused: a non-retryable error; gaveUp: retries ran out. */
  answer: 'ok' | 'refused' | 'gaveUp';
  reason?: string;
  outRefundNo?: string;
  refundedAmount?: number;
}

// Pickup, same-city, express ×2 and virtual goods (scripts/local/seed.demo.json): every delivery kind ships.
const PRODUCTS = ['coffee', 'tea', 'cake', 'beans', 'giftcard'];

export interface CustomerRecord {
  index: number;
  openid: string;
  plan: Plan;
  /** createOrder acknowledged this order and amount. */
  outTradeNo?: string;
  amount?: number;
  /** The simulator (the payer's WeChat) answered the payment attempt with this. */
  payResults: string[];
  transactionId?: string;
  /** queryOrder told the customer the order is paid. */
  sawSuccess: boolean;
  /** Why the customer gave up, if they did. */
  gaveUp?: string;
  /** Saved for latePay: the wx.requestPayment params to use after expiry. */
  payment?: Record<string, string>;
  /** For plan `refund`: what staff do, and what refundOrder answered them. */
  refundKind?: RefundKind;
  refunds?: RefundAttempt[];
}

export interface CustomerEnv {
  cloudbaseUrl: string;
  simulatorUrl: string;
  onResponse?: (raw: string) => void;
}

export function drawPlan(prng: Prng): Plan {
  const entries = Object.entries(PLAN_WEIGHTS) as [Plan, number][];
  let pick = prng.next() * entries.reduce((s, [, w]) => s + w, 0);
  for (const [plan, weight] of entries) {
    pick -= weight;
    if (pick < 0) return plan;
  }
  return 'pay';
}

export function newCustomer(index: number, seed: number, prng: Prng): CustomerRecord & { lines: Array<{ productId: string; quantity: number }>; polls: number } {
  const n = 1 + prng.int(3);
  const start = prng.int(PRODUCTS.length);
  const lines = Array.from({ length: n }, (_x, k) => ({ productId: PRODUCTS[(start + k) % PRODUCTS.length], quantity: 1 + prng.int(5) }))
    .filter((l, k, all) => all.findIndex((o) => o.productId === l.productId) === k);
  return {
    index,
    openid: `oCHAOS${String(seed).padStart(6, '0')}${String(index).padStart(16, '0')}`,
    plan: drawPlan(prng),
    payResults: [],
    sawSuccess: false,
    lines,
    polls: prng.int(3),
    refundKind: REFUND_KINDS[prng.int(REFUND_KINDS.length)],
  };
}

async function pay(env: CustomerEnv, c: CustomerRecord, payment: Record<string, string>, result: 'SUCCESS' | 'CANCEL' | 'FAIL'): Promise<void> {
  // The control endpoint is the payer's phone: it checks the paySign exactly as WeChat does.
  try {
    const { json } = await postJson(`${env.simulatorUrl}/__sim/pay`, { ...payment, result });
    c.payResults.push(json.trade_state ?? json.code ?? 'unknown');
    if (json.transaction_id) c.transactionId = json.transaction_id;
  } catch (err) {
    c.payResults.push(`transport: ${(err as Error).message}`);
  }
}

async function create(env: CustomerEnv, c: CustomerRecord, data: unknown): Promise<CallOutcome<any>> {
  const out = await callFunction<any>(env.cloudbaseUrl, 'createOrder', data, c.openid, undefined, env.onResponse);
  if (out.ok) {
    c.outTradeNo = out.value.outTradeNo;
    c.amount = out.value.amount.total;
  } else c.gaveUp = `createOrder: ${out.reason}`;
  return out;
}

/** Acts out the plan up to (not including) any late payment. */
export async function actOut(env: CustomerEnv, c: ReturnType<typeof newCustomer>): Promise<void> {
  // A clientOrderKey per checkout, as the mini-program sends: retries after a crash reuse the order.
  const created = await create(env, c, { items: c.lines, clientOrderKey: `chaos-${c.index}` });
  if (!created.ok) return;
  const payment = created.value.payment as Record<string, string>;
  switch (c.plan) {
    case 'never':
      return;
    case 'latePay':
      c.payment = payment;
      return;
    case 'cancel':
      return pay(env, c, payment, 'CANCEL');
    case 'payFails':
      return pay(env, c, payment, 'FAIL');
    case 'cancelThenPay': {
      await pay(env, c, payment, 'CANCEL');
      const again = await create(env, c, { outTradeNo: c.outTradeNo });
      if (!again.ok) return;
      await pay(env, c, again.value.payment, 'SUCCESS');
      break;
    }
    case 'pay':
      await pay(env, c, payment, 'SUCCESS');
      break;
    case 'refund':
      await pay(env, c, payment, 'SUCCESS');
      return refundPaid(env, c);
  }
  for (let i = 0; i < c.polls && !c.sawSuccess; i++) {
    const view = await callFunction<any>(env.cloudbaseUrl, 'queryOrder', { outTradeNo: c.outTradeNo }, c.openid, undefined, env.onResponse);
    if (view.ok && view.value.status === 'SUCCESS') c.sawSuccess = true;
  }
}

/** The customer who comes back after the order expired and tries to pay anyway. */
export async function payLate(env: CustomerEnv, c: CustomerRecord): Promise<void> {
  if (c.payment) await pay(env, c, c.payment, 'SUCCESS');
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Staff refund a paid order. They wait until the shop shows it paid (queryOrder syncs a NOTPAY
 * order with WeChat Pay), as staff would; each request is retried like any client call, with the
 * same requestKey, so a retry can only ever name the same refund.
 */
async function refundPaid(env: CustomerEnv, c: CustomerRecord): Promise<void> {
  c.refunds = [];
  for (let i = 0; i < 30 && !c.sawSuccess; i++) {
    const view = await callFunction<any>(env.cloudbaseUrl, 'queryOrder', { outTradeNo: c.outTradeNo }, c.openid, undefined, env.onResponse);
    if (view.ok && view.value.status === 'SUCCESS') c.sawSuccess = true;
    else await sleep(100);
  }
  if (!c.sawSuccess) {
    c.gaveUp = 'refund: the order never showed SUCCESS';
    return;
  }
  const total = c.amount!;
  const ask = async (requestKey: string, amount?: number): Promise<void> => {
    const data = { outTradeNo: c.outTradeNo, reason: `chaos ${c.refundKind}`, requestKey, ...(amount !== undefined ? { amount } : {}) };
    const out = await callFunction<any>(env.cloudbaseUrl, 'refundOrder', data, CHAOS_STAFF_OPENID, undefined, env.onResponse);
    const attempt: RefundAttempt = { requestKey, ...(amount !== undefined ? { amount } : {}), answer: 'ok' };
    if (out.ok) {
      attempt.outRefundNo = out.value.refund.outRefundNo;
      attempt.refundedAmount = out.value.refund.amount;
    } else {
      attempt.answer = out.reason === 'REFUND_NOT_ALLOWED' ? 'refused' : 'gaveUp';
      attempt.reason = out.reason;
    }
    c.refunds!.push(attempt);
  };
  switch (c.refundKind) {
    case 'full':
      return ask(`c${c.index}-full`);
    case 'partial':
      return ask(`c${c.index}-part`, Math.max(1, Math.floor(total / 3)));
    case 'concurrent': {
      // Each asks for 60 % of the total: both cannot fit, whichever order the two land in.
      const share = Math.max(1, Math.ceil(total * 0.6));
      await Promise.all([ask(`c${c.index}-a`, share), ask(`c${c.index}-b`, share)]);
    }
  }
}
