/**
 * payNotify with a broken configuration: the caller (WeChat Pay, or anyone who can reach the URL)
 * gets a generic 500 so WeChat Pay retries; what is wrong goes to our log only.
 */
import { ConfigError } from '../../lib/config';
import type { LogEvent } from '../../lib/log';
import { servePayNotify } from '../../lib/functions/pay-notify';

const event = { httpMethod: 'POST', path: '/pay/notify', headers: { 'content-type': 'application/json' }, body: '{}', isBase64Encoded: false };

describe('payNotify never shows configuration error text', () => {
  it('answers a generic 500 and logs the variable and problem as an alert', async () => {
    const logged: Array<[LogEvent, Record<string, unknown> | undefined]> = [];
    const response = await servePayNotify(() => {
      throw new ConfigError('WXPAY_APIV3_KEY', 'must be exactly 32 bytes (got 5)');
    }, event, (e, f) => void logged.push([e, f]));
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body)).toEqual({ code: 'FAIL', message: 'temporary failure, please retry' });
    expect(response.body).not.toMatch(/WXPAY|32 bytes|CONFIG/);
    expect(logged).toEqual([['notify.failed', expect.objectContaining({ stage: 'configuration', code: 'CONFIG_INVALID', message: 'WXPAY_APIV3_KEY must be exactly 32 bytes (got 5)' })]]);
  });

  it('the deployed function (cloudfunctions/payNotify) answers the same with a bad environment', async () => {
    const saved = { ...process.env };
    const errors: string[] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((line: unknown) => void errors.push(String(line)));
    try {
      Object.assign(process.env, { WX_APPID: 'wx1234567890abcdef', WXPAY_MCHID: '1900000001', WXPAY_APIV3_KEY: 'short' });
      let main!: (e: unknown) => Promise<unknown>;
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        main = require('../../cloudfunctions/payNotify/index').main;
      });
      const response = (await main(event)) as { statusCode: number; body: string };
      expect(response.statusCode).toBe(500);
      expect(response.body).not.toMatch(/WXPAY|ConfigError|not set/);
      expect(errors.join('\n')).toMatch(/\[ALERT\].*notify\.failed.*WXPAY_/);
    } finally {
      spy.mockRestore();
      process.env = saved;
    }
  });
});
