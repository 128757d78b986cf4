/**
 * payNotify's HTTP answer, read top to bottom: parse the HTTP event → POST only (405) → check the
 * notification with the WeChat Pay client (lib/wechatpay: signature, keys, decryption) → apply it
 * (lib/orders/notify.ts) → 204. A notification that does not verify answers 401 and writes
 * nothing; a failure on our side (configuration, certificates that could not be downloaded, the
 * database) answers 500 so WeChat Pay retries — never 401, which would call a genuine payment forged.
 */
import { jsonResponse, parseHttpEvent, type HttpResponse } from '../http/event';
import { consoleLogger, type Logger } from '../log';
import { applyNotification, type ApplyNotificationDeps, type VerifiedNotification } from '../orders/notify';
import { ERROR_CODES, isWxPayError } from '../wechatpay';

export interface NotifyDeps extends ApplyNotificationDeps {
  /** The WeChat Pay client's parseNotification; throws on anything unverified, CERTIFICATES_UNAVAILABLE when our side failed. */
  verifyNotification(input: { headers: Record<string, string>; body: Buffer }): Promise<VerifiedNotification>;
}

const FAIL_VERIFY = { code: 'FAIL', message: 'notification verification failed' };
const FAIL_RETRY = { code: 'FAIL', message: 'temporary failure, please retry' };

/**
 * The payNotify entry: the deps (configuration, keys, secrets) are built inside the guard, so a
 * broken configuration answers a generic 500 — WeChat Pay retries, and whoever sent the request
 * learns nothing about our setup. The detail goes to the log as an alert (config errors never
 * carry a secret value: lib/config).
 */
export async function servePayNotify(loadDeps: () => NotifyDeps | Promise<NotifyDeps>, event: unknown, log: Logger = consoleLogger): Promise<HttpResponse> {
  let deps: NotifyDeps;
  try {
    deps = await loadDeps();
  } catch (err) {
    const e = err as { name?: string; code?: string; message?: string };
    log('notify.failed', { stage: 'configuration', name: e?.name, code: e?.code ?? 'UNKNOWN', message: String(e?.message ?? err).slice(0, 300) });
    return jsonResponse(500, FAIL_RETRY);
  }
  return handlePayNotify(deps, event);
}

export async function handlePayNotify(deps: NotifyDeps, event: unknown): Promise<HttpResponse> {
  let notification: VerifiedNotification;
  try {
    const request = parseHttpEvent(event);
    if (request.method !== 'POST') return jsonResponse(405, { code: 'FAIL', message: 'POST only' });
    notification = await deps.verifyNotification({ headers: request.headers, body: request.rawBody });
  } catch (err) {
    if (isWxPayError(err, ERROR_CODES.CERTIFICATES_UNAVAILABLE)) {
      deps.log('notify.failed', { code: err.code });
      return jsonResponse(500, FAIL_RETRY);
    }
    deps.log('notify.rejected', { code: (err as { code?: string }).code ?? 'UNKNOWN' });
    return jsonResponse(401, FAIL_VERIFY);
  }
  try {
    await applyNotification(deps, notification);
    return jsonResponse(204);
  } catch (err) {
    deps.log('notify.failed', { id: notification.id, code: (err as { code?: string }).code ?? 'UNKNOWN' });
    return jsonResponse(500, FAIL_RETRY);
  }
}
