import { parseHttpEvent } from '../../lib/http/event';
import { mismatchReason, stepFor } from '../../lib/orders/transition';

describe('stepFor', () => {
  it('maps WeChat trade states to our transitions', () => {
    expect(stepFor('SUCCESS')).toEqual({ to: 'SUCCESS', from: ['NOTPAY', 'PAYERROR', 'CLOSED'] });
    expect(stepFor('REFUND')?.to).toBe('SUCCESS');
    expect(stepFor('CLOSED')).toEqual({ to: 'CLOSED', from: ['NOTPAY', 'PAYERROR'] });
    expect(stepFor('PAYERROR')).toEqual({ to: 'PAYERROR', from: ['NOTPAY'] });
    expect(stepFor('NOTPAY')).toBeNull();
    expect(stepFor('USERPAYING')).toBeNull();
  });
});

describe('mismatchReason', () => {
  const order = { openid: 'o1', amount: { total: 100, currency: 'CNY' as const } };
  const merchant = { appid: 'wxapp', mchid: '1900' };
  const good = { appid: 'wxapp', mchid: '1900', amount: { total: 100, currency: 'CNY' }, payer: { openid: 'o1' } };
  it('accepts a matching transaction', () => expect(mismatchReason(order, good, merchant)).toBeNull());
  it.each([
    [{ ...good, appid: 'other' }, /appid/],
    [{ ...good, mchid: '1' }, /mchid/],
    [{ ...good, amount: { total: 1, currency: 'CNY' } }, /amount/],
    [{ ...good, amount: { total: 100, currency: 'USD' } }, /currency/],
    [{ ...good, payer: { openid: 'o2' } }, /payer openid differs/],
    // JSAPI: a transaction that does not name its payer is not proof the owner paid.
    [{ appid: 'wxapp', mchid: '1900', amount: { total: 100, currency: 'CNY' } }, /payer openid missing/],
    [{ ...good, payer: {} }, /payer openid missing/],
    [{ ...good, payer: { openid: '' } }, /payer openid missing/],
  ])('names the mismatch in %j', (tx, pattern) => {
    expect(mismatchReason(order, tx, merchant)).toMatch(pattern);
  });
});

describe('parseHttpEvent', () => {
  it('decodes a base64 body byte-exact and lower-cases header names', () => {
    const body = '{"a": 1,  "b":"中"}';
    const req = parseHttpEvent({ httpMethod: 'post', path: '/pay/notify', headers: { 'Wechatpay-Serial': 'S' }, body: Buffer.from(body).toString('base64'), isBase64Encoded: true });
    expect(req.rawBody.toString('utf8')).toBe(body);
    expect(req.headers['wechatpay-serial']).toBe('S');
    expect(req.method).toBe('POST');
  });
  it('rejects what is not an HTTP event', () => {
    expect(() => parseHttpEvent({ data: 1 })).toThrow(/HTTP access path/);
  });
});
