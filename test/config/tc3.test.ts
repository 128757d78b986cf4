/**
 * lib/ssm/tc3.ts against the official signer of tencentcloud-sdk-nodejs-common (a dev
 * dependency here, deliberately not bundled into the functions): same inputs, same Authorization.
 */
import Sign from 'tencentcloud-sdk-nodejs-common/tencentcloud/common/sign';
import { signTc3 } from '../../lib/ssm/tc3';

const cases = [
  { secretId: 'AKIDexample', secretKey: 'key-1', timestamp: 1_764_000_000, hostname: 'ssm.tencentcloudapi.com', payload: { SecretName: 'wxpay-apiv3', VersionId: 'SSM_Current' } },
  // Just before UTC midnight: the date in the scope is the UTC date of the timestamp.
  { secretId: 'AKIDother', secretKey: 'k2/+=', timestamp: 1_764_028_799, hostname: 'ssm.ap-shanghai.tencentcloudapi.com', payload: { SecretName: 'n-1.x', VersionId: 'v_2' } },
];

test.each(cases)('same Authorization as the SDK for $hostname at $timestamp', (c) => {
  const body = JSON.stringify(c.payload);
  const ours = signTc3({ credentials: { secretId: c.secretId, secretKey: c.secretKey, token: 'tok' }, service: 'ssm', hostname: c.hostname, action: 'GetSecretValue', version: '2019-09-23', region: 'ap-guangzhou', body, timestamp: c.timestamp });
  const sdk = Sign.sign3({
    method: 'POST',
    url: `https://${c.hostname}/`,
    payload: c.payload,
    timestamp: c.timestamp,
    service: 'ssm',
    secretId: c.secretId,
    secretKey: c.secretKey,
    multipart: false,
    boundary: '',
    headers: { 'Content-Type': ours['Content-Type'] },
  });
  expect(ours.Authorization).toBe(sdk);
  expect(ours['X-TC-Token']).toBe('tok');
  expect(ours['X-TC-Timestamp']).toBe(String(c.timestamp));
});
