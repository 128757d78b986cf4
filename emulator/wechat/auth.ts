// Authorization check for every /v3 call, against the registered merchant: known mchid, the
// merchant API certificate serial, a seconds timestamp within 5 minutes of the wire clock, and a
// signature over the exact METHOD, path+query and body bytes received. Any failure: 401 SIGN_ERROR.
import { parseAuthorization, verifyRequestSignature } from '../../lib/wechatpay';
import { signError } from './errors';
import type { Ctx } from './http';
import type { SimState } from './state';
import type { Merchant } from './types';

export function authenticate(state: SimState, ctx: Ctx): Merchant {
  const header = ctx.headers.authorization;
  let fields;
  try {
    fields = parseAuthorization(header);
  } catch (err) {
    throw signError(`Authorization header is invalid: ${(err as Error).message}`);
  }
  const merchant = state.merchants.get(fields.mchid);
  if (!merchant) throw signError(`mchid ${fields.mchid} is not a registered merchant`);
  // Certificate serials are hex; compare case-insensitively (assumption, see README).
  if (fields.serial_no.toUpperCase() !== merchant.serialNo.toUpperCase()) {
    throw signError(
      `serial_no ${fields.serial_no} is not the merchant API certificate serial of ${merchant.mchid} ` +
        '(did you send the platform certificate serial or the public key id?)',
    );
  }
  try {
    verifyRequestSignature({
      method: ctx.method,
      url: ctx.rawUrl,
      body: ctx.rawBody,
      authorization: header,
      publicKey: merchant.publicKeyPem,
      now: state.clock.wallNow(),
    });
  } catch (err) {
    throw signError(`signature verification failed: ${(err as Error).message}`);
  }
  return merchant;
}
