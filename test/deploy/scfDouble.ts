/**
 * A local Tencent Cloud SCF API double for the deploy tests: real HTTP on 127.0.0.1, verifies
 * TC3-HMAC-SHA256 exactly as the API does (recomputed here, independently of the SDK), keeps
 * functions and triggers, and answers in the API's envelope. Functions go Creating/Updating →
 * Active after a few GetFunction polls; tests can make one stuck, failed, or inject an API error.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerApiCall, ApiError, verifyTc3 } from '../support/tc3';

export interface RecordedCall {
  action: string;
  params: Record<string, any>;
}

interface Fn {
  name: string;
  namespace: string;
  config: Record<string, any>;
  code: Buffer;
  status: string;
  pendingPolls: number;
  settleTo: string;
  triggers: Array<{ TriggerName: string; Type: string; TriggerDesc: string; Enable: number; Qualifier: string }>;
}

export interface DoubleOptions {
  secrets?: Record<string, string>;
  /** GetFunction polls a change stays in Creating/Updating. */
  transitionPolls?: number;
}

export interface ScfDouble {
  url: string;
  calls: RecordedCall[];
  functions: Map<string, Fn>;
  /** Make the next call of `action` (optionally for one function) answer this error. */
  injectError(action: string, code: string, message: string, functionName?: string): void;
  /** The function never leaves its transitional status (or lands on `status`, e.g. CreateFailed). */
  setOutcome(functionName: string, outcome: 'stuck' | string): void;
  actions(): string[];
  close(): Promise<void>;
}

const RUNTIMES = new Set(['Nodejs16.13', 'Nodejs18.15']);
/** TC3 as the SCF API checks it: the SDK derives the service from the endpoint's first label. */
function verifyScfTc3(req: IncomingMessage, body: Buffer, secrets: Record<string, string>): void {
  verifyTc3(req, body, { secretKeyOf: (id) => secrets[id], serviceFor: (hostname) => hostname.split('.')[0] });
}

export async function startScfDouble(opts: DoubleOptions = {}): Promise<ScfDouble> {
  const secrets = opts.secrets ?? { AKIDtest: 'test-secret-key' };
  const transitionPolls = opts.transitionPolls ?? 2;
  const functions = new Map<string, Fn>();
  const calls: RecordedCall[] = [];
  const injected: Array<{ action: string; code: string; message: string; fn?: string }> = [];
  const outcomes = new Map<string, string>();
  let seq = 0;

  const key = (ns: string | undefined, name: string) => `${ns ?? 'default'}/${name}`;
  const get = (p: Record<string, any>): Fn => {
    const f = functions.get(key(p.Namespace, p.FunctionName));
    if (!f) throw new ApiError('ResourceNotFound.Function', `function ${p.FunctionName} does not exist`);
    return f;
  };
  const transition = (f: Fn, status: 'Creating' | 'Updating') => {
    f.status = status;
    f.pendingPolls = transitionPolls;
    const o = outcomes.get(f.name);
    f.settleTo = o && o !== 'stuck' ? o : 'Active';
    if (o === 'stuck') f.pendingPolls = Number.POSITIVE_INFINITY;
  };
  const requireActive = (f: Fn, action: string) => {
    if (f.status !== 'Active') throw new ApiError(`FailedOperation.${action}`, `function ${f.name} is ${f.status}, try again later`);
  };
  const zipOf = (b64: unknown): Buffer => {
    if (typeof b64 !== 'string' || !b64) throw new ApiError('InvalidParameterValue.ZipFile', 'ZipFile is required');
    const buf = Buffer.from(b64, 'base64');
    if (buf.readUInt32LE(0) !== 0x04034b50) throw new ApiError('InvalidParameterValue.ZipFile', 'ZipFile is not a zip archive');
    return buf;
  };
  const checkEnv = (env: any) => {
    for (const v of env?.Variables ?? []) {
      if (!v.Key || !v.Value) throw new ApiError('InvalidParameterValue.Environment', 'environment variable keys and values must be non-empty');
    }
  };

  const handlers: Record<string, (p: Record<string, any>) => Record<string, unknown>> = {
    GetFunction: (p) => {
      const f = get(p);
      if (f.pendingPolls > 0) f.pendingPolls--;
      else if (f.status === 'Creating' || f.status === 'Updating') f.status = f.settleTo;
      const status = f.status;
      return { FunctionName: f.name, Namespace: f.namespace, Status: status, StatusDesc: status.endsWith('Failed') ? 'image pull failed (injected)' : '', ...f.config };
    },
    CreateFunction: (p) => {
      if (functions.has(key(p.Namespace, p.FunctionName))) throw new ApiError('ResourceInUse.Function', 'function already exists');
      if (!RUNTIMES.has(p.Runtime)) throw new ApiError('InvalidParameterValue.Runtime', `runtime ${p.Runtime}`);
      if (p.Handler !== 'index.main') throw new ApiError('InvalidParameterValue.Handler', 'unexpected handler');
      checkEnv(p.Environment);
      const f: Fn = {
        name: p.FunctionName,
        namespace: p.Namespace ?? 'default',
        config: { Runtime: p.Runtime, Handler: p.Handler, Timeout: p.Timeout ?? 3, MemorySize: p.MemorySize ?? 128, Environment: p.Environment ?? { Variables: [] }, ...(p.Role ? { Role: p.Role } : {}) },
        code: zipOf(p.Code?.ZipFile),
        status: 'Creating',
        pendingPolls: 0,
        settleTo: 'Active',
        triggers: [],
      };
      functions.set(key(p.Namespace, p.FunctionName), f);
      transition(f, 'Creating');
      return {};
    },
    UpdateFunctionCode: (p) => {
      const f = get(p);
      requireActive(f, 'UpdateFunctionCode');
      f.code = zipOf(p.ZipFile);
      transition(f, 'Updating');
      return {};
    },
    UpdateFunctionConfiguration: (p) => {
      const f = get(p);
      requireActive(f, 'UpdateFunctionConfiguration');
      checkEnv(p.Environment);
      for (const k of ['Timeout', 'MemorySize', 'Environment', 'Role']) if (p[k] !== undefined) f.config[k] = p[k];
      transition(f, 'Updating');
      return {};
    },
    ListTriggers: (p) => {
      const f = get(p);
      return { TotalCount: f.triggers.length, Triggers: f.triggers };
    },
    CreateTrigger: (p) => {
      const f = get(p);
      if (f.triggers.some((t) => t.TriggerName === p.TriggerName)) throw new ApiError('ResourceInUse.Trigger', 'trigger already exists');
      if (p.Type === 'timer') {
        if (String(p.TriggerDesc).trim().split(/\s+/).length !== 7) throw new ApiError('InvalidParameterValue.TriggerDesc', 'cron needs 7 fields');
        f.triggers.push({ TriggerName: p.TriggerName, Type: 'timer', TriggerDesc: JSON.stringify({ cron: p.TriggerDesc }), Enable: 1, Qualifier: p.Qualifier ?? '$LATEST' });
      } else if (p.Type === 'http') {
        if (f.triggers.some((t) => t.Type === 'http')) throw new ApiError('ResourceInUse.Trigger', 'a function URL already exists');
        const desc = JSON.parse(p.TriggerDesc);
        const id = createHash('sha1').update(f.name).digest('hex').slice(0, 10);
        desc.NetConfig.ExtranetUrl = `https://${id}.${'ap-test'}.tencentscf.com`;
        f.triggers.push({ TriggerName: p.TriggerName, Type: 'http', TriggerDesc: JSON.stringify(desc), Enable: 1, Qualifier: p.Qualifier ?? '$LATEST' });
      } else {
        throw new ApiError('InvalidParameterValue.Type', `trigger type ${p.Type}`);
      }
      return {};
    },
    UpdateTrigger: (p) => {
      const f = get(p);
      const t = f.triggers.find((x) => x.TriggerName === p.TriggerName && x.Type === p.Type);
      if (!t) throw new ApiError('ResourceNotFound.Trigger', 'trigger does not exist');
      if (p.Type === 'timer') t.TriggerDesc = JSON.stringify({ cron: p.TriggerDesc });
      return {};
    },
  };

  const server: Server = createServer((req, res) => {
    answerApiCall(req, res, `req-${++seq}`, (body) => {
      if (req.method !== 'POST' || req.url !== '/') throw new ApiError('InvalidAction', 'POST / only');
      verifyScfTc3(req, body, secrets);
      if (req.headers['x-tc-version'] !== '2018-04-16') throw new ApiError('InvalidParameter', 'X-TC-Version');
      const action = String(req.headers['x-tc-action'] ?? '');
      const params = JSON.parse(body.toString('utf8') || '{}') as Record<string, any>;
      calls.push({ action, params });
      const i = injected.findIndex((x) => x.action === action && (!x.fn || x.fn === params.FunctionName));
      if (i >= 0) {
        const [e] = injected.splice(i, 1);
        throw new ApiError(e.code, e.message);
      }
      const h = handlers[action];
      if (!h) throw new ApiError('InvalidAction', `action ${action} is not supported by the double`);
      return h(params);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    functions,
    injectError: (action, code, message, fn) => injected.push({ action, code, message, fn }),
    setOutcome: (fn, outcome) => outcomes.set(fn, outcome),
    actions: () => calls.map((c) => (c.params.FunctionName ? `${c.action} ${c.params.FunctionName}` : c.action)),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
