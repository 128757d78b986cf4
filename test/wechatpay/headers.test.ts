// getHeader: Node's lower-case header objects are the fast path; any other casing, arrays and fetch
// Headers still resolve to the same value.
import { getHeader } from '../../lib/wechatpay';

describe('getHeader', () => {
  test.each([
    ['lower case (Node http)', { 'wechatpay-serial': 'S1' }],
    ['as written', { 'Wechatpay-Serial': 'S1' }],
    ['any other casing', { 'WECHATPAY-SERIAL': 'S1' }],
    ['an array value (first wins)', { 'wechatpay-serial': ['S1', 'S2'] }],
    ['fetch Headers', new Headers({ 'Wechatpay-Serial': 'S1' })],
  ])('%s', (_label, headers) => {
    expect(getHeader(headers, 'Wechatpay-Serial')).toBe('S1');
    expect(getHeader(headers, 'Wechatpay-Serial', 'wechatpay-serial')).toBe('S1');
  });

  test('absent, null and undefined values are undefined; numbers become strings', () => {
    expect(getHeader({ other: 'x' }, 'Wechatpay-Serial')).toBeUndefined();
    expect(getHeader({ 'wechatpay-serial': null }, 'Wechatpay-Serial')).toBeUndefined();
    expect(getHeader(undefined, 'Wechatpay-Serial')).toBeUndefined();
    expect(getHeader({ 'content-length': 12 }, 'Content-Length')).toBe('12');
  });
});
