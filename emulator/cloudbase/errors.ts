/**
 * Error codes the emulator answers with. The string codes are the ones @cloudbase/node-sdk
 * and wx-server-sdk map (TCB_ERR_CODE): DATABASE_COLLECTION_NOT_EXIST → -502005,
 * DATABASE_REQUEST_FAILED → -502001, FUNCTIONS_EXECUTE_FAIL → -504002, INVALID_PARAM → -501007.
 * DATABASE_TRANSACTION_CONFLICT is what runTransaction retries on.
 */
export const TCB_CODES = {
  INVALID_PARAM: 'INVALID_PARAM',
  INVALID_ACTION: 'INVALID_ACTION',
  DATABASE_REQUEST_FAILED: 'DATABASE_REQUEST_FAILED',
  DATABASE_COLLECTION_NOT_EXIST: 'DATABASE_COLLECTION_NOT_EXIST',
  DATABASE_COLLECTION_ALREADY_EXIST: 'DATABASE_COLLECTION_ALREADY_EXIST',
  DATABASE_TRANSACTION_CONFLICT: 'DATABASE_TRANSACTION_CONFLICT',
  DATABASE_TRANSACTION_FAIL: 'DATABASE_TRANSACTION_FAIL',
  FUNCTIONS_REQUEST_FAIL: 'FUNCTIONS_REQUEST_FAIL',
  FUNCTIONS_EXECUTE_FAIL: 'FUNCTIONS_EXECUTE_FAIL',
  FUNCTION_NOT_FOUND: 'ResourceNotFound.Function',
  EXCEED_MAX_PAYLOAD_SIZE: 'EXCEED_MAX_PAYLOAD_SIZE',
  STORAGE_REQUEST_FAIL: 'STORAGE_REQUEST_FAIL',
  STORAGE_FILE_NONEXIST: 'STORAGE_FILE_NONEXIST',
  STORE_CORRUPT: 'CB_STORE_CORRUPT',
} as const;

export type TcbCode = (typeof TCB_CODES)[keyof typeof TCB_CODES];

/** An error that becomes `{ requestId, code, message }` on the TCB wire (always HTTP 200). */
export class TcbError extends Error {
  constructor(
    readonly code: TcbCode,
    message: string,
  ) {
    super(message);
    this.name = 'TcbError';
  }
}

export function collectionMissing(name: string): TcbError {
  // Same wording as the real service, so logs and docs searches match.
  return new TcbError(
    TCB_CODES.DATABASE_COLLECTION_NOT_EXIST,
    `[ResourceNotFound] Db or Table not exist: ${name}. Please check your request, but if the problem cannot be solved, contact us.`,
  );
}

export function duplicateKey(collection: string, id: unknown): TcbError {
  return new TcbError(
    TCB_CODES.DATABASE_REQUEST_FAILED,
    `E11000 duplicate key error collection: ${collection} index: _id_ dup key: { _id: ${JSON.stringify(id)} }`,
  );
}

export function invalidParam(message: string): TcbError {
  return new TcbError(TCB_CODES.INVALID_PARAM, message);
}
