// One HTTP POST of a notification. Only loopback targets are ever contacted (nothing leaves the
// machine): an https notify_url reaches a local server through notifyRedirects, otherwise the
// attempt is "unroutable" and retried like any failure.
import { encryptResource, SIGNTEST_PREFIX } from '../../lib/wechatpay';
import { request } from 'node:http';
import { notificationKey, signBody } from './platform';
import type { SimState } from './state';
import type { AttemptOutcome } from './types';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function resolveTarget(notifyUrl: string, redirects: Record<string, string>): string | undefined {
  const url = new URL(notifyUrl);
  const base = redirects[url.origin];
  if (!base) return undefined;
  const target = new URL(base.replace(/\/$/, '') + url.pathname);
  return target.protocol === 'http:' && LOOPBACK.has(target.hostname) ? target.toString() : undefined;
}

export interface PostResult {
  outcome: AttemptOutcome;
  /** The Wechatpay-Serial it was signed under (migration: either key). */
  serial?: string;
  status?: number;
  error?: string;
}

type Variant = 'probe' | 'signature' | 'ciphertext' | undefined;

function prepare(state: SimState, body: string, variant: Variant): { body: string; headers: Record<string, string> } {
  let sent = body;
  if (variant === 'ciphertext') {
    // Re-encrypt under a different key and re-sign: the signature holds, only the GCM check fails.
    const parsed = JSON.parse(body);
    const other = encryptResource('{"tampered":true}', 'X'.repeat(32), { associated_data: parsed.resource.associated_data });
    parsed.resource = { ...parsed.resource, ciphertext: other.ciphertext, nonce: other.nonce };
    sent = JSON.stringify(parsed);
  }
  const mutate =
    variant === 'probe'
      ? (s: string) => `${SIGNTEST_PREFIX}${s.slice(0, 40)}`
      : variant === 'signature'
        ? (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1)
        : undefined;
  // Migration: each attempt (each copy) is signed by the public key or the certificate at the configured share.
  const key = notificationKey(state.platform, (share) => state.prng.chance(share));
  const headers = { ...signBody(key, sent, state.clock.wallNow(), mutate), 'Content-Type': 'application/json' };
  return { body: sent, headers: headers as unknown as Record<string, string> };
}

export function postNotification(state: SimState, target: string, body: string, variant: Variant): Promise<PostResult> {
  const msg = prepare(state, body, variant);
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: PostResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      state.inflight.delete(abort);
      resolve({ ...r, serial: msg.headers['Wechatpay-Serial'] });
    };
    const req = request(target, { method: 'POST', headers: { ...msg.headers, 'Content-Length': Buffer.byteLength(msg.body), 'User-Agent': 'Mozilla/4.0 (WeChatPay simulator)' }, agent: false });
    const abort = (): void => {
      req.destroy();
      finish({ outcome: 'network_error', error: 'aborted (simulator closed or reset)' });
    };
    state.inflight.add(abort);
    const timer = setTimeout(() => {
      req.destroy();
      finish({ outcome: 'timeout', error: `no answer within ${state.deliveryTimeoutMs} ms` });
    }, state.deliveryTimeoutMs);
    timer.unref();
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        finish({ outcome: status >= 200 && status < 300 ? 'delivered' : 'rejected', status });
      });
      res.on('error', (e) => finish({ outcome: 'network_error', status: res.statusCode, error: e.message }));
    });
    req.on('error', (e) => finish({ outcome: 'network_error', error: e.message }));
    req.end(msg.body);
  });
}
