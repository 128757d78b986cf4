// Local mode only: talk to the offline stack over wx.request (DevTools with domain checking off).
// Every caller guards with `if (__MP_LOCAL__)`, false in production builds, so esbuild drops
// this module's code and its loopback URLs from them.
import { t } from '../i18n';
import { LocalConfig } from '../config';
import { ApiError, CLIENT_CODES } from './errors';

interface HttpResult {
  statusCode: number;
  data: unknown;
}

function post(url: string, body: unknown): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    wx.request({
      url,
      method: 'POST',
      data: body as WechatMiniprogram.IAnyObject,
      header: { 'content-type': 'application/json' },
      success: (res) => resolve({ statusCode: res.statusCode, data: res.data }),
      fail: (err) => reject(new ApiError(CLIENT_CODES.NETWORK, err.errMsg)),
    });
  });
}

/** POST {functionsUrl}/functions/{name} {data, openid} → {result} | {errCode, errMsg}. */
export async function callLocalFunction(local: LocalConfig, name: string, data: unknown): Promise<unknown> {
  const res = await post(`${local.functionsUrl}/functions/${encodeURIComponent(name)}`, { data, openid: local.openid });
  const body = res.data as { result?: unknown; errCode?: unknown; errMsg?: unknown } | null;
  if (body && typeof body === 'object' && 'result' in body && res.statusCode < 300) return body.result;
  const detail = body && typeof body === 'object' ? String(body.errMsg || body.errCode || '') : '';
  throw new ApiError(CLIENT_CODES.BAD_RESPONSE, `function ${name} failed (HTTP ${res.statusCode}) ${detail}`.trim());
}

/**
 * Plays the payment sheet: a confirm dialog, then the simulator's payer endpoint.
 * Resolves/rejects with the same errMsg shapes as wx.requestPayment.
 */
export async function localRequestPayment(local: LocalConfig, pkg: string, amountText: string): Promise<void> {
  const prepayId = pkg.replace(/^prepay_id=/, '');
  const ok = await new Promise<boolean>((resolve) => {
    wx.showModal({
      title: t('local.payTitle'),
      content: t('local.payContent', { amount: amountText }),
      confirmText: t('local.payConfirm'),
      success: (res) => resolve(Boolean(res.confirm)),
      fail: () => resolve(false),
    });
  });
  if (!ok) throw { errMsg: 'requestPayment:fail cancel' };
  let res: HttpResult;
  try {
    res = await post(`${local.simulatorUrl}/__sim/pay`, { prepay_id: prepayId, result: 'SUCCESS' });
  } catch (e) {
    throw { errMsg: `requestPayment:fail ${(e as Error).message}` };
  }
  if (res.statusCode >= 300) throw { errMsg: `requestPayment:fail simulator answered ${res.statusCode}` };
}
