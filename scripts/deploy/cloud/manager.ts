/**
 * The WeChat Cloud API seam: the calls deploy:cloud and the doctor make, implemented with the
 * official @cloudbase/manager-node (TC3-signed calls to scf.tencentcloudapi.com and
 * tcb.tencentcloudapi.com with the env id as the functions' namespace). Every call goes through
 * `cloudStep`, which turns the library's CloudBaseError into a DeployError naming the step, the
 * API's error code and RequestId, and what to do about a missing CAM permission.
 *
 * Endpoints are the library's own (https, real host names). It honours `http_proxy` (or the
 * `proxy` option), which is how the tests reach a local double: a CONNECT proxy that terminates
 * TLS for *.tencentcloudapi.com with a test CA (NODE_EXTRA_CA_CERTS).
 *
 * Read in manager-node 5.6.5's source, not yet tried on a live account (the double answers this way):
 * - GetFunctionAddress's CodeSha256 is the hex sha256 of the uploaded zip (the API reference's example
 *   is 64 hex digits). If the platform hashes something else, the plan shows "code … → …" on every run
 *   and the code is re-uploaded: harmless, never wrong.
 * - DescribeResourcePermission answers {Data: {PermissionList}} (manager-node's typings); a rule set with
 *   ModifyResourcePermission (CUSTOM + SecurityRule) reads back as that JSON. manager-node marks both
 *   deprecated in favour of the gateway's OPA policies, which do not cover collection rules.
 * - BatchCreateTrigger adds timers (it is what `tcb fn deploy` uses); a changed cron is applied as
 *   DeleteTrigger + BatchCreateTrigger.
 * - CAM refusals carry AuthFailure.UnauthorizedOperation (the common Tencent Cloud error code).
 */
import type CloudBaseClass from '@cloudbase/manager-node';
import type { FunctionSettings } from '../config';
import { DeployError } from '../errors';

export interface RemoteFunction {
  Runtime?: string;
  Handler?: string;
  Timeout?: number;
  MemorySize?: number;
  Status?: string;
  Environment?: { Variables?: Array<{ Key: string; Value: string }> };
  Triggers?: Array<{ Type?: string; TriggerName?: string; TriggerDesc?: string }>;
}
export interface RemoteAccess {
  APIId?: string;
  Path?: string;
  Name?: string;
  Type?: number;
}
export interface RemoteIndex {
  Name: string;
  Keys?: Array<{ Name?: string; Direction?: string }>;
  Unique?: boolean;
}
export interface RemotePermission {
  Resource?: string;
  Permission?: string;
  SecurityRule?: string;
}
export interface NewFunction extends FunctionSettings {
  zipBase64: string;
}

/** What the deploy and the doctor call; the manager-node implementation is below. */
export interface CloudApi {
  envInfo(): Promise<{ EnvId: string; Region?: string }>;
  getFunction(name: string): Promise<RemoteFunction | undefined>;
  codeSha256(name: string): Promise<string | undefined>;
  createFunction(f: NewFunction): Promise<void>;
  updateCode(f: Pick<NewFunction, 'name' | 'runtime' | 'handler' | 'zipBase64'>): Promise<void>;
  updateConfig(f: Pick<NewFunction, 'name' | 'timeout' | 'memorySize' | 'environment'>): Promise<void>;
  waitActive(name: string): Promise<void>;
  createTimer(fn: string, trigger: { name: string; cron: string }): Promise<void>;
  deleteTimer(fn: string, triggerName: string): Promise<void>;
  listAccess(path: string): Promise<RemoteAccess[]>;
  createAccess(path: string, functionName: string): Promise<void>;
  deleteAccess(apiId: string): Promise<void>;
  listCollections(): Promise<string[]>;
  createCollection(name: string): Promise<void>;
  listIndexes(collection: string): Promise<RemoteIndex[]>;
  createIndex(collection: string, index: { name: string; keys: Array<{ field: string; direction: 1 | -1 }>; unique: boolean }): Promise<void>;
  dropIndex(collection: string, name: string): Promise<void>;
  describeRules(collections: string[]): Promise<RemotePermission[]>;
  setRule(collection: string, rule: string): Promise<void>;
}

interface CloudBaseErrorLike {
  code?: string;
  message?: string;
  requestId?: string;
  action?: string;
}

/** CAM refusals (the API's codes for a key without the permission for an action or resource). */
const PERMISSION_CODES = /^(AuthFailure\.UnauthorizedOperation|UnauthorizedOperation|OperationDenied|AuthFailure\.CamNoAuth)/;

export function isPermissionError(e: unknown): boolean {
  return e instanceof DeployError && !!e.apiCode && PERMISSION_CODES.test(e.apiCode);
}

/** Runs one API call; on failure throws a DeployError naming the step, with a hint for CAM refusals. */
export async function cloudStep<T>(step: string, call: () => Promise<T>, envId?: string): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof DeployError) throw e;
    const err = e as CloudBaseErrorLike;
    // manager-node prefixes "[action] " and wraps some messages in a Chinese "[name] …失败：\n" line.
    const message = String(err.message ?? e).replace(/\s*\n\s*/g, ' ').trim();
    const code = err.code || undefined;
    const hint =
      code && PERMISSION_CODES.test(code)
        ? ` — the Tencent Cloud key in TENCENTCLOUD_SECRETID is not allowed to do this${envId ? ` on environment ${envId}` : ''}: attach QcloudTCBFullAccess (or a CAM policy allowing tcb:* and scf:* on this environment) to that key's user, then re-run (re-running is safe)`
        : '';
    throw new DeployError('API_ERROR', step, message + hint, code, err.requestId || undefined);
  }
}

export function isNotFound(e: unknown): boolean {
  return e instanceof DeployError && typeof e.apiCode === 'string' && e.apiCode.startsWith('ResourceNotFound');
}

export interface ManagerOptions {
  secretId: string;
  secretKey: string;
  token?: string;
  envId: string;
  region: string;
}

export function createCloudApi(o: ManagerOptions): CloudApi {
  // Loaded when an API is made, not when this module is: the library takes ~0.5 s of CPU to load, and
  // the doctor's offline checks (most doctor runs) and deploy:cloud's refusals before any call never use it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const CloudBase = require('@cloudbase/manager-node') as typeof CloudBaseClass;
  const app = new CloudBase({ secretId: o.secretId, secretKey: o.secretKey, token: o.token, envId: o.envId, region: o.region });
  const fns = app.functions;
  const db = app.database;
  const s = <T>(step: string, call: () => Promise<T>) => cloudStep(step, call, o.envId);
  return {
    envInfo: () => s('DescribeEnvInfo', async () => (await app.env.getEnvInfo()).EnvInfo as { EnvId: string; Region?: string }),
    getFunction: async (name) => {
      try {
        return (await s(`GetFunction ${name}`, () => fns.getFunctionDetail(name))) as RemoteFunction;
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    },
    codeSha256: async (name) => (await s(`GetFunctionAddress ${name}`, () => fns.getFunctionDownloadUrl(name))).CodeSha256 || undefined,
    createFunction: async (f) => {
      await s(`CreateFunction ${f.name}`, () =>
        fns.createFunction({
          func: {
            name: f.name,
            runtime: f.runtime,
            handler: f.handler,
            timeout: f.timeout,
            memorySize: f.memorySize,
            envVariables: f.environment,
            // The bundle is self-contained (wx-server-sdk included): no cloud-side npm install.
            installDependency: false,
          },
          base64Code: f.zipBase64,
          force: false,
        }),
      );
    },
    updateCode: async (f) => {
      await s(`UpdateFunctionCode ${f.name}`, () =>
        fns.updateFunctionCode({ func: { name: f.name, runtime: f.runtime, handler: f.handler, installDependency: false }, base64Code: f.zipBase64 }),
      );
    },
    updateConfig: async (f) => {
      await s(`UpdateFunctionConfiguration ${f.name}`, () =>
        fns.updateFunctionConfig({ name: f.name, timeout: f.timeout, memorySize: f.memorySize, envVariables: f.environment, installDependency: false }),
      );
    },
    waitActive: (name) => s(`GetFunction ${name} (waiting for Active)`, () => fns.waitFunctionActive(name)),
    createTimer: async (fn, t) => {
      await s(`BatchCreateTrigger ${fn}/${t.name}`, () => fns.createFunctionTriggers(fn, [{ name: t.name, type: 'timer', config: t.cron }]));
    },
    deleteTimer: async (fn, triggerName) => {
      await s(`DeleteTrigger ${fn}/${triggerName}`, () => fns.deleteFunctionTrigger(fn, triggerName));
    },
    listAccess: async (path) => ((await s(`DescribeCloudBaseGWAPI ${path}`, () => app.access.getAccessList({ path }))) as { APISet?: RemoteAccess[] }).APISet ?? [],
    createAccess: async (path, name) => {
      await s(`CreateCloudBaseGWAPI ${path}`, () => app.access.createAccess({ path, name, type: 1 }));
    },
    deleteAccess: async (apiId) => {
      await s(`DeleteCloudBaseGWAPI ${apiId}`, () => app.access.deleteAccess({ apiId } as never));
    },
    listCollections: async () => {
      const res = await s('ListTables', () => db.listCollections({ MgoLimit: 1000, MgoOffset: 0 }));
      return (res.Collections ?? []).map((c) => c.CollectionName);
    },
    createCollection: async (name) => {
      await s(`CreateTable ${name}`, () => db.createCollection(name));
    },
    listIndexes: async (collection) => ((await s(`DescribeTable ${collection}`, () => db.describeCollection(collection))).Indexes ?? []) as RemoteIndex[],
    createIndex: async (collection, index) => {
      await s(`UpdateTable ${collection} (create index ${index.name})`, () =>
        db.updateCollection(collection, {
          CreateIndexes: [
            {
              IndexName: index.name,
              MgoKeySchema: { MgoIndexKeys: index.keys.map((k) => ({ Name: k.field, Direction: String(k.direction) })), MgoIsUnique: index.unique },
            },
          ],
        }),
      );
    },
    dropIndex: async (collection, name) => {
      await s(`UpdateTable ${collection} (drop index ${name})`, () => db.updateCollection(collection, { DropIndexes: [{ IndexName: name }] }));
    },
    describeRules: async (collections) =>
      (await s('DescribeResourcePermission', () => app.permission.describeResourcePermission({ resourceType: 'collection', resources: collections }))).Data?.PermissionList ?? [],
    setRule: async (collection, rule) => {
      // Deprecated in manager-node 5.6 for the gateway's OPA policies; still the call for a collection's security rule.
      await s(`ModifyResourcePermission ${collection}`, () =>
        app.permission.modifyResourcePermission({ resourceType: 'collection', resource: collection, permission: 'CUSTOM', securityRule: rule }),
      );
    },
  };
}
