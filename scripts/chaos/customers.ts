/**
 * Simulated customers. Each draws a plan from the seeded PRNG and acts it out over HTTP, recording
 * only what it was told (the acknowledgements the final check holds the stack to).
 */
import type { Prng } from '../../emulator/wechat/prng';
import { callFunction, postJson, type CallOutcome } from './http';

export type Plan = 'pay' | 'cancelThenPay' | 'never' | 'cancel' | 'payerror' | 'latePay';

/** Weights of each plan, out of their sum. */
export const PLAN_WEIGHTS: Record<Plan, number> = { pay: 55, cancelThenPay: 8, never: 12, cancel: 8, payerror: 7, latePay: 10 };

const PRODUCTS = ['coffee', 'tea', 'cake', 'beans'];

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
  };
}

async function pay(env: CustomerEnv, c: CustomerRecord, payment: Record<string, string>, result: 'SUCCESS' | 'CANCEL' | 'PAYERROR'): Promise<void> {
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
    case 'payerror':
      return pay(env, c, payment, 'PAYERROR');
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
