import { buildPaymentParams, buildPaySignMessage } from '../../lib/wechatpay';
import { generateRsaKeyPair, openssl, tempFile } from './fixtures';

const keys = generateRsaKeyPair();

describe('buildPaymentParams', () => {
  it('returns the wx.requestPayment shape with string timeStamp and an openssl-identical paySign', () => {
    const params = buildPaymentParams({ appId: 'wxAPP', prepayId: 'wx2017', privateKey: keys.privateKey, timeStamp: 1700000000, nonceStr: 'N' });
    expect(params).toEqual({ timeStamp: '1700000000', nonceStr: 'N', package: 'prepay_id=wx2017', signType: 'RSA', paySign: expect.any(String) });
    const keyPath = tempFile('paysign-key.pem', keys.privateKey);
    const expected = openssl(['dgst', '-sha256', '-sign', keyPath], buildPaySignMessage('wxAPP', '1700000000', 'N', 'prepay_id=wx2017'));
    expect(params.paySign).toBe(expected.toString('base64'));
  });

  it('derives timeStamp (seconds, as a string) from `now` and generates a nonce', () => {
    const params = buildPaymentParams({ appId: 'wxAPP', prepayId: 'p', privateKey: keys.privateKey, now: 1700000000500 });
    expect(params.timeStamp).toBe('1700000000');
    expect(params.nonceStr).toMatch(/^[A-Za-z0-9]{32}$/);
  });

  it('rejects a missing appId or prepayId', () => {
    expect(() => buildPaymentParams({ appId: '', prepayId: 'p', privateKey: keys.privateKey })).toThrow(/appId/);
    expect(() => buildPaymentParams({ appId: 'a', prepayId: '', privateKey: keys.privateKey })).toThrow(/prepayId/);
  });
});
