/**
 * `POST /admin`: the TCB admin wire. Every answer is HTTP 200 with `{requestId, …}`; errors are
 * `{requestId, code, message}` (the SDK returns them to wx-server-sdk, which maps the code).
 */
import { randomUUID } from 'node:crypto';
import { DATABASE_ACTIONS, type DbContext } from './database';
import { TCB_CODES, TcbError, invalidParam } from './errors';
import { payloadTooLarge, toAdminData } from './functions/calls';
import type { FunctionHost } from './functions/host';
import { STORAGE_ACTIONS, type StorageContext } from './storage/actions';

export interface AdminContext {
  envId: string;
  db: DbContext;
  host: FunctionHost;
  storage: StorageContext;
}

type Body = Record<string, unknown>;

/** Which env the request is for: envName in the body, else ?env=, else the emulator's env. */
function checkEnv(ctx: AdminContext, body: Body, queryEnv: string | null): void {
  const env = (typeof body.envName === 'string' && body.envName) || queryEnv || ctx.envId;
  if (env !== ctx.envId) throw new TcbError(TCB_CODES.INVALID_PARAM, `env ${env} is not served by this emulator (it serves ${ctx.envId}); init the SDK with env ${ctx.envId} or DYNAMIC_CURRENT_ENV`);
}

async function invokeFunction(ctx: AdminContext, body: Body): Promise<Record<string, unknown>> {
  const name = body.function_name;
  if (typeof name !== 'string' || !name) throw invalidParam('function_name is required');
  let event: unknown = {};
  const tooLarge = typeof body.request_data === 'string' ? payloadTooLarge(Buffer.byteLength(body.request_data)) : undefined;
  if (tooLarge) throw new TcbError(TCB_CODES.EXCEED_MAX_PAYLOAD_SIZE, tooLarge);
  if (typeof body.request_data === 'string' && body.request_data !== '') {
    try {
      event = JSON.parse(body.request_data);
    } catch {
      throw invalidParam('request_data must be a JSON string');
    }
  }
  // A call from inside a function carries that invocation's token: keep its user, extend SOURCE.
  const caller = ctx.host.callerOf(body.wxCloudApiToken);
  const identity = caller ? { ...caller, source: caller.source ? `${caller.source},scf` : 'scf' } : { source: 'scf' };
  ctx.host.entryOf(name);
  return { data: toAdminData(await ctx.host.invoke(name, event, identity)) };
}

export async function handleAdmin(ctx: AdminContext, body: unknown, queryEnv: string | null): Promise<Record<string, unknown>> {
  const requestId = randomUUID();
  try {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalidParam('request body must be a JSON object');
    const b = body as Body;
    checkEnv(ctx, b, queryEnv);
    const action = b.action;
    if (action === 'functions.invokeFunction') return { requestId, ...(await invokeFunction(ctx, b)) };
    const storageHandler = typeof action === 'string' ? STORAGE_ACTIONS[action] : undefined;
    if (storageHandler) return { requestId, ...storageHandler(ctx.storage, b) };
    const handler = typeof action === 'string' ? DATABASE_ACTIONS[action] : undefined;
    if (!handler) throw new TcbError(TCB_CODES.INVALID_ACTION, `action ${String(action)} is not emulated (see emulator/cloudbase/README.md)`);
    return { requestId, ...(await handler(ctx.db, b)) };
  } catch (e) {
    if (e instanceof TcbError) return { requestId, code: e.code, message: e.message };
    return { requestId, code: TCB_CODES.DATABASE_REQUEST_FAILED, message: `emulator error: ${(e as Error).message}` };
  }
}
