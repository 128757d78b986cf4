/**
 * How an invocation's outcome looks to each kind of caller:
 * - a mini-program (`POST /functions/{name}`): `{result}` or `{errCode, errMsg}` with the
 *   platform's codes (-504002 execute fail, -504003 time limit, -501000 not found);
 * - another function via the SDK (`functions.invokeFunction`): `data.response_data` (JSON string)
 *   or a TCB error code the SDK maps (FUNCTIONS_EXECUTE_FAIL → -504002).
 */
import { TCB_CODES, TcbError } from '../errors';
import type { Invoked } from './host';

export interface ClientAnswer {
  result?: unknown;
  errCode?: number;
  errMsg?: string;
  requestId: string;
}

export const CLIENT_ERR = { EXECUTE_FAIL: -504002, TIME_LIMIT: -504003, NOT_FOUND: -501000 } as const;

function detail(o: Exclude<Invoked, { ok: true }>): string {
  // The real platform shows the function's error and stack ("Error: boom\n    at exports.main …").
  return o.stack && o.stack.includes(o.message) ? o.stack : `${o.name}: ${o.message}`;
}

export function toClientAnswer(o: Invoked): ClientAnswer {
  if (o.ok) return { result: JSON.parse(o.json), requestId: o.requestId };
  if (o.kind === 'timeout') {
    return { errCode: CLIENT_ERR.TIME_LIMIT, errMsg: `cloud.callFunction:fail Error: errCode: -504003 functions time limit exceeded | errMsg: ${o.message}`, requestId: o.requestId };
  }
  return { errCode: CLIENT_ERR.EXECUTE_FAIL, errMsg: `cloud.callFunction:fail Error: errCode: -504002 functions execute fail | errMsg: ${detail(o)}`, requestId: o.requestId };
}

export function notFoundAnswer(e: TcbError): ClientAnswer {
  return { errCode: CLIENT_ERR.NOT_FOUND, errMsg: `cloud.callFunction:fail Error: errCode: -501000 | errMsg: ${e.message}`, requestId: '' };
}

/** For the TCB wire: the `data` of a successful invokeFunction, or a TcbError. */
export function toAdminData(o: Invoked): { response_data: string } {
  if (o.ok) return { response_data: o.json };
  throw new TcbError(TCB_CODES.FUNCTIONS_EXECUTE_FAIL, o.kind === 'timeout' ? o.message : detail(o));
}
