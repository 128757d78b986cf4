// GET /v3/certificates: every platform certificate still valid, each PEM encrypted with the APIv3 key
// (associated_data "certificate"), in certificate and migration mode. Public-key-mode merchants have
// none: 404 RESOURCE_NOT_EXISTS.
import { formatWechatTime } from '../../lib/wechatpay/time';
import { encryptResource } from '../../lib/wechatpay';
import { SimError } from './errors';
import type { Ctx, Reply } from './http';
import type { SimState } from './state';

export function downloadCertificates(state: SimState, ctx: Ctx): Reply {
  if (state.platform.mode === 'publicKey') {
    throw new SimError(404, 'RESOURCE_NOT_EXISTS', '无可用的平台证书，请在商户平台-API安全申请使用微信支付公钥');
  }
  const apiV3Key = state.merchants.get(ctx.mchid)!.apiV3Key;
  const data = state.platform.certificates.map((k) => ({
    serial_no: k.serial,
    effective_time: formatWechatTime(k.effectiveMs),
    expire_time: formatWechatTime(k.expireMs),
    encrypt_certificate: encryptResource(k.certificatePem!, apiV3Key, { associated_data: 'certificate' }),
  }));
  return { status: 200, body: { data } };
}
