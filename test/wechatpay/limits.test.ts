import { truncateUtf8, utf8Bytes, WECHATPAY_BYTE_LIMITS, isPermanentRefusal, WxPayError, ERROR_CODES } from '../../lib/wechatpay';
import fc from 'fast-check';

describe('truncateUtf8: WeChat Pay counts bytes of UTF-8', () => {
  it('cuts a 60-character Chinese name to at most 127 bytes, on a character boundary, with an ellipsis', () => {
    const name = '云南普洱熟茶饼'.repeat(9).slice(0, 60);
    expect([...name]).toHaveLength(60);
    expect(utf8Bytes(name)).toBe(180);
    const cut = truncateUtf8(name, WECHATPAY_BYTE_LIMITS.description);
    expect(utf8Bytes(cut)).toBeLessThanOrEqual(127);
    expect(cut.endsWith('…')).toBe(true);
    expect(name.startsWith(cut.slice(0, -1))).toBe(true);
    expect([...cut]).toHaveLength(42); // 41 characters of 3 bytes + the 3-byte ellipsis = 126 bytes
  });

  it('leaves text that fits unchanged, and never splits emoji (4 bytes, surrogate pairs)', () => {
    expect(truncateUtf8('Tea x2', 127)).toBe('Tea x2');
    expect(truncateUtf8('a'.repeat(127), 127)).toBe('a'.repeat(127));
    const emoji = '🍵'.repeat(40); // 160 bytes
    const cut = truncateUtf8(emoji, 80);
    expect(cut).toBe('🍵'.repeat(19) + '…'); // 76 + 3 bytes
    expect(Buffer.from(cut, 'utf8').toString('utf8')).toBe(cut);
  });

  it('for any text: at most maxBytes, a prefix of the text, valid UTF-8', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 120 }), fc.integer({ min: 0, max: 200 }), (text, max) => {
      const cut = truncateUtf8(text, max);
      expect(utf8Bytes(cut)).toBeLessThanOrEqual(Math.max(max, 0));
      const body = cut.endsWith('…') && cut !== text ? cut.slice(0, -1) : cut;
      expect(text.startsWith(body)).toBe(true);
      expect(Buffer.from(cut, 'utf8').toString('utf8')).toBe(cut);
    }));
  });
});

describe('isPermanentRefusal', () => {
  const wx = (code: string, httpStatus?: number) => new WxPayError(code, code, { httpStatus });
  it('is true for the codes retrying cannot heal and any other 4xx but 429', () => {
    for (const c of ['PARAM_ERROR', 'INVALID_REQUEST', 'APPID_MCHID_NOT_MATCH', 'MCH_NOT_EXISTS', 'NO_AUTH', 'RULE_LIMIT', 'OUT_TRADE_NO_USED']) {
      expect(isPermanentRefusal(wx(c, c.startsWith('NO_') || c.endsWith('LIMIT') || c.endsWith('USED') ? 403 : 400))).toBe(true);
    }
    expect(isPermanentRefusal(wx('SOMETHING_NEW', 403))).toBe(true);
  });
  it('is false for FREQUENCY_LIMITED, 5xx, timeouts, network failures and our own verification errors', () => {
    expect(isPermanentRefusal(wx('FREQUENCY_LIMITED', 429))).toBe(false);
    expect(isPermanentRefusal(wx('SYSTEM_ERROR', 500))).toBe(false);
    expect(isPermanentRefusal(wx(ERROR_CODES.HTTP_ERROR, 502))).toBe(false);
    expect(isPermanentRefusal(wx(ERROR_CODES.TIMEOUT))).toBe(false);
    expect(isPermanentRefusal(wx(ERROR_CODES.NETWORK_ERROR))).toBe(false);
    expect(isPermanentRefusal(wx(ERROR_CODES.SIGNATURE_INVALID))).toBe(false);
    expect(isPermanentRefusal(new Error('PARAM_ERROR'))).toBe(false);
  });
});
