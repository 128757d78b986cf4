import { buildPaySignMessage, buildRequestMessage, buildResponseMessage, canonicalPath, ERROR_CODES } from '../../lib/wechatpay';

describe('message builders', () => {
  it('builds the request message with a trailing newline on every line', () => {
    expect(buildRequestMessage('post', '/v3/pay/transactions/jsapi', 1700000000, 'N1', '{"a":1}')).toBe(
      'POST\n/v3/pay/transactions/jsapi\n1700000000\nN1\n{"a":1}\n',
    );
  });

  it('ends a GET message with an empty body line (\\n\\n)', () => {
    expect(buildRequestMessage('GET', '/v3/certificates', '1700000000', 'N1')).toBe('GET\n/v3/certificates\n1700000000\nN1\n\n');
  });

  it('reduces an absolute URL to path plus query and keeps a path verbatim', () => {
    expect(canonicalPath('https://api.mch.weixin.qq.com/v3/pay/transactions/id/42?mchid=1900')).toBe('/v3/pay/transactions/id/42?mchid=1900');
    expect(canonicalPath('/v3/x?a=%20b')).toBe('/v3/x?a=%20b');
    expect(() => canonicalPath('not a url')).toThrow(expect.objectContaining({ code: ERROR_CODES.INVALID_ARGUMENT }));
  });

  it('builds the response message and keeps the exact bytes of a Buffer body', () => {
    expect(buildResponseMessage('1700000000', 'N', '')).toBe('1700000000\nN\n\n');
    const raw = Buffer.from([0x7b, 0xff, 0x7d]); // not valid UTF-8: must not be re-encoded
    const msg = buildResponseMessage('1', 'N', raw) as Buffer;
    expect(Buffer.isBuffer(msg)).toBe(true);
    expect(msg.equals(Buffer.concat([Buffer.from('1\nN\n'), raw, Buffer.from('\n')]))).toBe(true);
  });

  it('builds the paySign message in appId, timeStamp, nonceStr, package order', () => {
    expect(buildPaySignMessage('wx123', '1700000000', 'abc', 'prepay_id=wx1')).toBe('wx123\n1700000000\nabc\nprepay_id=wx1\n');
  });

  it('rejects a parsed object body with a message saying to pass the raw body', () => {
    expect(() => buildResponseMessage('1', 'N', { a: 1 } as never)).toThrow(
      expect.objectContaining({ code: ERROR_CODES.BODY_NOT_RAW, message: expect.stringContaining('raw') }),
    );
  });
});
