/**
 * Merchant staff actions from the console: a staff function (refundOrder, shipOrder, reconcileBill)
 * called through its entry, POST /functions/{name}, as the openid the local stack allowlists
 * (scripts/local/staff.ts), so every rule of the function applies. The function's own refusals come
 * back unchanged ({error: {code, message, retryable, …}}) under the HTTP status the contract gives
 * the code (lib/contract/errors.ts); the platform failing (not deployed, crashed, timed out) is a 502.
 */
import { httpStatusOf } from '../../lib/contract';
import { ConsoleError } from './errors';
import type { Upstream, UpstreamReply } from './upstream';

export function staffOpenidOf(staffOpenid: unknown, what: string): string {
  if (typeof staffOpenid !== 'string' || staffOpenid === '') {
    throw new ConsoleError(409, 'NO_STAFF_OPENID', `this console was started without a staff openid (info.staffOpenid), so it cannot ${what}; startLocalStack passes one`);
  }
  return staffOpenid;
}

export async function callAsStaff(upstream: Upstream, name: string, data: unknown, staffOpenid: string): Promise<UpstreamReply> {
  const r = await upstream.callFunction(name, data, staffOpenid);
  if (r.status !== 200 || (r.body?.errCode !== undefined && r.body.errCode !== 0)) {
    throw new ConsoleError(502, 'FUNCTION_FAILED', `${name}: ${r.body?.errMsg ?? `HTTP ${r.status}`}`);
  }
  const result = r.body?.result;
  // An unknown code is the function failing.
  if (result?.error) return { status: httpStatusOf(result.error.code) ?? 500, body: { error: result.error } };
  return { status: 200, body: result };
}
