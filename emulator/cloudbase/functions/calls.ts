/**
 * How an invocation's outcome looks to each kind of caller:
 * - a mini-program (`POST /functions/{name}`): `{result}` or `{errCode, errMsg}` with the
 *   platform's codes (-504002 execute fail, -504003 time limit, -501000 not found);
 * - another function via the SDK (`functions.invokeFunction`): `data.response_data` (JSON string)
 *   or a TCB error code the SDK maps (FUNCTIONS_EXECUTE_FAIL → -504002).
 */
import { TCB_CODES, TcbError } from '../errors';
import { LIMITS, describeLimit } from '../limits';
import type { Invoked } from './host';

export interface ClientAnswer {
  result?: unknown;
  errCode?: number;
  errMsg?: string;
  requestId: string;
}

export const CLIENT_ERR = { EXECUTE_FAIL: -504002, TIME_LIMIT: -504003, NOT_FOUND: -501000, RESULT_TOO_LARGE: -604001, INVALID_PARAM: -501007 } as const;

/** Over the limit: what the function returned, in bytes; else undefined. */
function oversizedResult(o: Invoked): number | undefined {
  if (!o.ok) return undefined;
  const bytes = Buffer.byteLength(o.json);
  return bytes > LIMITS.functionResult.value ? bytes : undefined;
}

const resultTooLarge = (bytes: number): string =>
  `cloudfunction result size exceed limit (${describeLimit(LIMITS.functionResult).replace(' ', '')}): the function returned ${bytes} bytes of JSON; return less (page it), or put it in cloud storage and return the fileID`;

/** callFunction data over the limit: the message both callers get (*the real wording is unconfirmed*). */
export function payloadTooLarge(bytes: number): string | undefined {
  if (bytes <= LIMITS.callFunctionPayload.value) return undefined;
  return `EXCEED_MAX_PAYLOAD_SIZE: callFunction data is ${bytes} bytes, the limit is ${describeLimit(LIMITS.callFunctionPayload)}; send large content through cloud storage (uploadFile, then pass the fileID)`;
}

export function payloadAnswer(message: string): ClientAnswer {
  return { errCode: CLIENT_ERR.INVALID_PARAM, errMsg: `cloud.callFunction:fail Error: errCode: -501007 invalid parameters | errMsg: ${message}`, requestId: '' };
}

function detail(o: Exclude<Invoked, { ok: true }>): string {
  // The real platform shows the function's error and stack ("Error: boom\n    at exports.main …").
  return o.stack && o.stack.includes(o.message) ? o.stack : `${o.name}: ${o.message}`;
}

export function toClientAnswer(o: Invoked): ClientAnswer {
  const oversized = oversizedResult(o);
  if (oversized !== undefined) {
    return { errCode: CLIENT_ERR.RESULT_TOO_LARGE, errMsg: `cloud.callFunction:fail Error: errCode: -604001 ${resultTooLarge(oversized)}`, requestId: o.requestId };
  }
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
  const oversized = oversizedResult(o);
  if (oversized !== undefined) throw new TcbError(TCB_CODES.FUNCTIONS_EXECUTE_FAIL, `[-604001] ${resultTooLarge(oversized)}`);
  if (o.ok) return { response_data: o.json };
  throw new TcbError(TCB_CODES.FUNCTIONS_EXECUTE_FAIL, o.kind === 'timeout' ? o.message : detail(o));
}
