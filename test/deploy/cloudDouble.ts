/**
 * A local double of the Tencent Cloud APIs @cloudbase/manager-node calls for a WeChat Cloud deploy:
 * SCF (2018-04-16: functions, code, timers) and TCB (2018-06-08: environment, HTTP access, database
 * tables and indexes, security rules). It is reached the way the library reaches any proxy: an HTTP
 * CONNECT proxy on 127.0.0.1 (`http_proxy`) that terminates TLS for *.tencentcloudapi.com with a test
 * CA, so the library runs unmodified against its real URLs. Every call's TC3-HMAC-SHA256 signature is
 * recomputed (test/support/tc3.ts) with the service taken from the host, as the real API does.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { answerApiCall, ApiError, verifyTc3 } from '../support/tc3';
import { testCa } from '../support/test-ca';

export interface CloudFn {
  config: { Runtime: string; Handler: string; Timeout: number; MemorySize: number; InstallDependency: string; Environment: { Variables: Array<{ Key: string; Value: string }> } };
  code: Buffer;
  status: string;
  triggers: Array<{ Type: string; TriggerName: string; TriggerDesc: string }>;
}
export interface Table {
  indexes: Array<{ Name: string; Keys: Array<{ Name: string; Direction: string }>; Unique: boolean }>;
  permission: { Permission: string; SecurityRule?: string };
}
export interface CloudDouble {
  /** http_proxy value for the deploy's process. */
  proxyUrl: string;
  /** NODE_EXTRA_CA_CERTS value for the deploy's process. */
  caFile: string;
  envId: string;
  calls: Array<{ service: string; action: string; params: Record<string, any> }>;
  functions: Map<string, CloudFn>;
  access: Array<{ APIId: string; Path: string; Name: string; Type: number }>;
  tables: Map<string, Table>;
  /** Answer the next call of `action` with this error (e.g. a CAM refusal). */
  injectError(action: string, code: string, message: string): void;
  /** Actions that changed something (not Describe/Get/List). */
  writes(): string[];
  close(): Promise<void>;
}

const READ = /^(Describe|Get|List)/;

export async function startCloudDouble(opts: { envId?: string; secrets?: Record<string, string> } = {}): Promise<CloudDouble> {
  const envId = opts.envId ?? 'prod-test1a';
  const secrets = opts.secrets ?? { AKIDcloudtest: 'cloud-test-secret-key' };
  const ca = testCa();
  const functions = new Map<string, CloudFn>();
  const access: CloudDouble['access'] = [];
  const tables = new Map<string, Table>();
  const calls: CloudDouble['calls'] = [];
  const injected: Array<{ action: string; code: string; message: string }> = [];
  let seq = 0;

  const fnOf = (p: Record<string, any>): CloudFn => {
    if (p.Namespace !== envId) throw new ApiError('ResourceNotFound.Namespace', `namespace ${p.Namespace} does not exist`);
    const f = functions.get(p.FunctionName);
    if (!f) throw new ApiError('ResourceNotFound.Function', `function ${p.FunctionName} does not exist`);
    return f;
  };
  const active = (f: CloudFn, action: string) => {
    if (f.status !== 'Active') throw new ApiError(`FailedOperation.${action}`, `function is ${f.status}, try again later`);
  };
  const zip = (b64: unknown): Buffer => {
    const buf = Buffer.from(String(b64 ?? ''), 'base64');
    if (buf.length < 4 || buf.readUInt32LE(0) !== 0x04034b50) throw new ApiError('InvalidParameterValue.ZipFile', 'ZipFile is not a zip archive');
    return buf;
  };
  const table = (p: Record<string, any>): Table => {
    if (p.EnvId !== envId) throw new ApiError('ResourceNotFound.Env', `env ${p.EnvId} not found`);
    const t = tables.get(p.TableName);
    if (!t) throw new ApiError('ResourceNotFound.TableNotExist', `table ${p.TableName} does not exist`);
    return t;
  };
  const addTimers = (f: CloudFn, list: Array<{ TriggerName: string; Type: string; TriggerDesc: string }>) => {
    for (const t of list) {
      if (t.Type !== 'timer') throw new ApiError('InvalidParameterValue.Type', `trigger type ${t.Type}`);
      if (f.triggers.some((x) => x.TriggerName === t.TriggerName)) throw new ApiError('ResourceInUse.Trigger', `trigger ${t.TriggerName} exists`);
      if (String(t.TriggerDesc).trim().split(/\s+/).length !== 7) throw new ApiError('InvalidParameterValue.TriggerDesc', 'cron needs 7 fields');
      f.triggers.push({ Type: 'timer', TriggerName: t.TriggerName, TriggerDesc: JSON.stringify({ cron: t.TriggerDesc }) });
    }
  };

  const scf: Record<string, (p: Record<string, any>) => Record<string, unknown>> = {
    GetFunction: (p) => {
      const f = fnOf(p);
      // Creating/Updating settle on the next look (the library waits a second between looks).
      const Status = f.status;
      if (f.status !== 'Active') f.status = 'Active';
      return { FunctionName: p.FunctionName, Namespace: envId, Status, ...f.config, Triggers: f.triggers };
    },
    GetFunctionAddress: (p) => ({ Url: `https://cos.invalid/${p.FunctionName}.zip`, CodeSha256: createHash('sha256').update(fnOf(p).code).digest('hex') }),
    CreateFunction: (p) => {
      if (p.Namespace !== envId) throw new ApiError('ResourceNotFound.Namespace', `namespace ${p.Namespace} does not exist`);
      if (functions.has(p.FunctionName)) throw new ApiError('ResourceInUse.Function', 'function already exists');
      if (!/^Nodejs\d/.test(p.Runtime)) throw new ApiError('InvalidParameterValue.Runtime', `runtime ${p.Runtime}`);
      functions.set(p.FunctionName, {
        config: {
          Runtime: p.Runtime,
          Handler: p.Handler,
          Timeout: p.Timeout ?? 3,
          MemorySize: p.MemorySize ?? 256,
          InstallDependency: p.InstallDependency,
          Environment: p.Environment ?? { Variables: [] },
        },
        code: zip(p.Code?.ZipFile),
        status: 'Creating',
        triggers: [],
      });
      return {};
    },
    UpdateFunctionCode: (p) => {
      const f = fnOf(p);
      active(f, 'UpdateFunctionCode');
      f.code = zip(p.Code?.ZipFile ?? p.ZipFile);
      f.config.Handler = p.Handler ?? f.config.Handler;
      f.config.InstallDependency = p.InstallDependency ?? f.config.InstallDependency;
      f.status = 'Updating';
      return {};
    },
    UpdateFunctionConfiguration: (p) => {
      const f = fnOf(p);
      active(f, 'UpdateFunctionConfiguration');
      if (p.Timeout !== undefined) f.config.Timeout = p.Timeout;
      if (p.MemorySize !== undefined) f.config.MemorySize = p.MemorySize;
      if (p.Environment !== undefined) f.config.Environment = p.Environment;
      if (p.InstallDependency !== undefined) f.config.InstallDependency = p.InstallDependency;
      f.status = 'Updating';
      return {};
    },
    BatchCreateTrigger: (p) => {
      const list = JSON.parse(p.Triggers) as Array<{ TriggerName: string; Type: string; TriggerDesc: string }>;
      if (list.length !== p.Count) throw new ApiError('InvalidParameterValue.Count', 'Count does not match Triggers');
      addTimers(fnOf(p), list);
      return {};
    },
    DeleteTrigger: (p) => {
      const f = fnOf(p);
      const i = f.triggers.findIndex((t) => t.TriggerName === p.TriggerName && t.Type === p.Type);
      if (i < 0) throw new ApiError('ResourceNotFound.Trigger', 'trigger does not exist');
      f.triggers.splice(i, 1);
      return {};
    },
  };

  const tcb: Record<string, (p: Record<string, any>) => Record<string, unknown>> = {
    DescribeEnvInfo: (p) => {
      if (p.EnvId !== envId) throw new ApiError('ResourceNotFound.Env', `env ${p.EnvId} not found`);
      return { EnvInfo: { EnvBaseInfo: { EnvId: envId, Region: 'ap-shanghai', Functions: [{ Namespace: envId, Region: 'ap-shanghai' }], Databases: [{ InstanceId: 'tnt-test', Region: 'ap-shanghai' }], Storages: [{ AppId: '1250000000', Bucket: `${envId}-1250000000` }] } } };
    },
    DescribeCloudBaseGWAPI: (p) => {
      const list = access.filter((a) => (!p.Path || a.Path === p.Path) && (!p.Name || a.Name === p.Name));
      return { APISet: list, Total: list.length };
    },
    CreateCloudBaseGWAPI: (p) => {
      if (p.ServiceId !== envId) throw new ApiError('ResourceNotFound.Env', 'service not found');
      if (access.some((a) => a.Path === p.Path)) throw new ApiError('InvalidParameter.APICreated', `path ${p.Path} exists`);
      if (!functions.has(p.Name)) throw new ApiError('ResourceNotFound.Function', `function ${p.Name} does not exist`);
      const APIId = `api-${++seq}`;
      access.push({ APIId, Path: p.Path, Name: p.Name, Type: p.Type });
      return { APIId };
    },
    DeleteCloudBaseGWAPI: (p) => {
      const i = access.findIndex((a) => a.APIId === p.APIId);
      if (i < 0) throw new ApiError('ResourceNotFound.API', 'no such API');
      access.splice(i, 1);
      return { Count: 1 };
    },
    ListTables: (p) => {
      if (p.EnvId !== envId) throw new ApiError('ResourceNotFound.Env', 'env not found');
      const names = [...tables.keys()];
      return { Tables: names.length ? names.map((TableName) => ({ TableName, Count: 0 })) : null, Pager: { Offset: 0, Limit: p.MgoLimit, Total: names.length } };
    },
    CreateTable: (p) => {
      if (p.EnvId !== envId) throw new ApiError('ResourceNotFound.Env', 'env not found');
      if (tables.has(p.TableName)) throw new ApiError('ResourceInUse.TableExist', 'table exists');
      tables.set(p.TableName, { indexes: [{ Name: '_id_', Keys: [{ Name: '_id', Direction: '1' }], Unique: true }], permission: { Permission: 'PRIVATE' } });
      return {};
    },
    DescribeTable: (p) => {
      const t = table(p);
      return { Indexes: t.indexes, IndexNum: t.indexes.length };
    },
    UpdateTable: (p) => {
      const t = table(p);
      for (const d of p.DropIndexes ?? []) {
        const i = t.indexes.findIndex((x) => x.Name === d.IndexName);
        if (i < 0) throw new ApiError('ResourceNotFound.IndexNotExist', `index ${d.IndexName}`);
        t.indexes.splice(i, 1);
      }
      for (const c of p.CreateIndexes ?? []) {
        if (t.indexes.some((x) => x.Name === c.IndexName)) throw new ApiError('ResourceInUse.IndexExist', `index ${c.IndexName}`);
        t.indexes.push({ Name: c.IndexName, Keys: c.MgoKeySchema.MgoIndexKeys, Unique: c.MgoKeySchema.MgoIsUnique });
      }
      return {};
    },
    DescribeResourcePermission: (p) => {
      const list = (p.Resources as string[]).map((r) => ({ ResourceType: 'collection', Resource: r, ...(tables.get(r)?.permission ?? { Permission: 'PRIVATE' }) }));
      return { Data: { TotalCount: list.length, PermissionList: list } };
    },
    ModifyResourcePermission: (p) => {
      const t = tables.get(p.Resource);
      if (!t) throw new ApiError('ResourceNotFound.TableNotExist', `table ${p.Resource} does not exist`);
      if (p.Permission === 'CUSTOM') JSON.parse(p.SecurityRule);
      t.permission = { Permission: p.Permission, ...(p.SecurityRule ? { SecurityRule: p.SecurityRule } : {}) };
      return { Data: { Success: true } };
    },
  };
  const services: Record<string, { version: string; actions: typeof scf }> = { scf: { version: '2018-04-16', actions: scf }, tcb: { version: '2018-06-08', actions: tcb } };

  const api: Server = createServer((req: IncomingMessage, res) => {
    answerApiCall(req, res, `req-${++seq}`, (body) => {
      if (req.method !== 'POST' || req.url !== '/') throw new ApiError('InvalidAction', 'POST / only');
      const host = String(req.headers.host ?? '').replace(/:\d+$/, '');
      const service = host.split('.')[0];
      verifyTc3(req, body, { secretKeyOf: (id) => secrets[id], serviceFor: (h) => h.split('.')[0] });
      const s = services[service];
      if (!s) throw new ApiError('InvalidAction', `service ${service} is not doubled`);
      if (req.headers['x-tc-version'] !== s.version) throw new ApiError('InvalidParameter', `X-TC-Version ${req.headers['x-tc-version']}`);
      const action = String(req.headers['x-tc-action'] ?? '');
      const params = JSON.parse(body.toString('utf8') || '{}') as Record<string, any>;
      calls.push({ service, action, params });
      const i = injected.findIndex((x) => x.action === action);
      if (i >= 0) {
        const [e] = injected.splice(i, 1);
        throw new ApiError(e.code, e.message);
      }
      const h = s.actions[action];
      if (!h) throw new ApiError('InvalidAction', `${service} action ${action} is not supported by the double`);
      return h(params);
    });
  });

  // The proxy: CONNECT <service>.tencentcloudapi.com:443 only, then TLS with the test CA's leaf.
  const proxy: Server = createServer((_req, res) => {
    res.writeHead(405).end('CONNECT only');
  });
  proxy.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    if (!/^[a-z]+\.tencentcloudapi\.com:443$/.test(req.url ?? '')) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length) socket.unshift(head);
    const tls = new TLSSocket(socket, { isServer: true, key: ca.key, cert: ca.cert });
    api.emit('connection', tls);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const { port } = proxy.address() as AddressInfo;
  return {
    proxyUrl: `http://127.0.0.1:${port}`,
    caFile: ca.caFile,
    envId,
    calls,
    functions,
    access,
    tables,
    injectError: (action, code, message) => injected.push({ action, code, message }),
    writes: () => calls.filter((c) => !READ.test(c.action)).map((c) => `${c.action}${c.params.FunctionName ? ` ${c.params.FunctionName}` : c.params.TableName ? ` ${c.params.TableName}` : c.params.Resource ? ` ${c.params.Resource}` : c.params.Path ? ` ${c.params.Path}` : ''}`),
    close: () => new Promise<void>((r) => {
      api.close();
      proxy.close(() => r());
      proxy.closeAllConnections?.();
    }),
  };
}
