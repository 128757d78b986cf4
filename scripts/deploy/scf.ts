/**
 * The SCF API seam: a client factory (real tencentcloud SDK, endpoint overridable so tests
 * can point it at a local double), a call wrapper that names the failing step, and the
 * bounded wait for a function to become Active.
 */
import { Agent } from 'node:http';
import { scf } from 'tencentcloud-sdk-nodejs-scf';
import { DeployError } from './errors';
import { t } from '../i18n';

type RealClient = InstanceType<typeof scf.v20180416.Client>;
/** The calls the deployer makes; the real client satisfies it. */
export type ScfApi = Pick<
  RealClient,
  'GetFunction' | 'CreateFunction' | 'UpdateFunctionCode' | 'UpdateFunctionConfiguration' | 'ListTriggers' | 'CreateTrigger' | 'UpdateTrigger'
>;

export interface ClientOptions {
  secretId: string;
  secretKey: string;
  token?: string;
  region: string;
  /** `scf.tencentcloudapi.com` (default), or a URL such as `http://127.0.0.1:9000` for a local double. */
  endpoint?: string;
  reqTimeoutSeconds?: number;
}

export function parseEndpoint(endpoint: string | undefined): { host: string; protocol: 'https://' | 'http://' } {
  if (!endpoint) return { host: 'scf.tencentcloudapi.com', protocol: 'https://' };
  const m = /^(https?):\/\/([^/]+)\/?$/.exec(endpoint);
  if (m) return { host: m[2], protocol: m[1] === 'http' ? 'http://' : 'https://' };
  if (/^[A-Za-z0-9.-]+(:\d+)?$/.test(endpoint)) return { host: endpoint, protocol: 'https://' };
  throw new DeployError('CONFIG_INVALID', 'read endpoint', `endpoint ${JSON.stringify(endpoint)} is neither host[:port] nor http(s)://host[:port]`);
}

export function createScfClient(o: ClientOptions): ScfApi {
  const { host, protocol } = parseEndpoint(o.endpoint);
  return new scf.v20180416.Client({
    credential: { secretId: o.secretId, secretKey: o.secretKey, token: o.token },
    region: o.region,
    profile: {
      httpProfile: {
        endpoint: host,
        protocol,
        reqTimeout: o.reqTimeoutSeconds ?? 60,
        // The SDK honours $http_proxy for every call; a plain-http endpoint is a local double,
        // which a proxy cannot reach, so give it a direct agent.
        ...(protocol === 'http://' ? { agent: new Agent() } : {}),
      },
    },
  });
}

interface SdkError {
  code?: string;
  message?: string;
  requestId?: string;
}

/** Runs one API call; on failure throws a DeployError naming the step and the API's error. */
export async function step<T>(name: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof DeployError) throw e;
    const err = e as SdkError;
    throw new DeployError('API_ERROR', name, err.message || String(e), err.code || undefined, err.requestId || undefined);
  }
}

export function isNotFound(e: unknown): boolean {
  return e instanceof DeployError && typeof e.apiCode === 'string' && e.apiCode.startsWith('ResourceNotFound');
}

export interface WaitOptions {
  pollMs: number;
  /** Bound on the wait, as a number of GetFunction polls (so the bound does not depend on a clock). */
  maxPolls: number;
  log: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Polls GetFunction until Status is Active. Management calls are asynchronous: the next
 * update is refused while a function is Creating/Updating, so every change waits here.
 */
export async function waitActive(api: ScfApi, name: string, namespace: string, why: string, o: WaitOptions): Promise<void> {
  const sleep = o.sleep ?? defaultSleep;
  let last = '';
  for (let poll = 1; poll <= o.maxPolls; poll++) {
    const fn = await step(`GetFunction ${name} (waiting after ${why})`, () => api.GetFunction({ FunctionName: name, Namespace: namespace }));
    const status = fn.Status ?? 'unknown';
    if (status === 'Active') {
      o.log(`    ${name}: Active`);
      return;
    }
    if (/Failed$/.test(status)) {
      throw new DeployError('FUNCTION_FAILED', `${why} ${name}`, `function is ${status}${fn.StatusDesc ? `: ${fn.StatusDesc}` : ''}`);
    }
    const waited = `~${Math.round((poll * o.pollMs) / 1000)}s of at most ${Math.round((o.maxPolls * o.pollMs) / 1000)}s`;
    if (status !== last) o.log(`    ${name}: ${status}…`);
    else o.log(t('deploy.scf.still', { name, status, waited }));
    last = status;
    await sleep(o.pollMs);
  }
  throw new DeployError(
    'WAIT_TIMEOUT',
    `${why} ${name}`,
    `still ${last} after ${o.maxPolls} polls every ${o.pollMs} ms; re-run the deploy later (it is idempotent) or raise --wait-seconds`,
  );
}
