/** The steps deploy:cloud and the doctor's live check share: bundles → desired state, credentials → API. */
import { resolve } from 'node:path';
import { bundleFunction, listFunctionNames, type FunctionBundle } from '../bundle';
import { DeployError } from '../errors';
import type { CloudConfig } from './config';
import { createCloudApi, type CloudApi } from './manager';

export function loadBundles(functionsDir = 'cloudfunctions'): FunctionBundle[] {
  const dir = resolve(functionsDir);
  const names = listFunctionNames(dir);
  if (names.length === 0) throw new DeployError('BUNDLE_MISSING', 'list functions', `no functions in ${dir}`);
  return names.map((n) => bundleFunction(dir, n));
}

export function cloudApiFromEnv(env: NodeJS.ProcessEnv, config: CloudConfig, purpose: string): CloudApi {
  const secretId = env.TENCENTCLOUD_SECRETID;
  const secretKey = env.TENCENTCLOUD_SECRETKEY;
  if (!secretId || !secretKey) {
    throw new DeployError('CREDENTIALS_MISSING', 'read credentials', `set TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY (a CAM key allowed to manage the CloudBase environment, e.g. QcloudTCBFullAccess): ${purpose}`);
  }
  return createCloudApi({ secretId, secretKey, token: env.TENCENTCLOUD_SESSIONTOKEN || undefined, envId: config.envId, region: config.region });
}
