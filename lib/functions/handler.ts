/**
 * The wrapper every client-called function uses: identity from the platform, errors as
 * `{error: {code, message, retryable}}`, never a stack trace or a secret.
 */
import { APP_ERROR_CODES, AppError, toClientError, type ClientError } from '../errors';

export interface Caller {
  openid: string;
  appid?: string;
}

/** The subset of cloud.getWXContext() we use. It reads only the invocation's environment. */
export type WxContextReader = () => { OPENID?: string; APPID?: string };

export function requireCaller(readContext: WxContextReader): Caller {
  const { OPENID, APPID } = readContext();
  if (!OPENID) {
    throw new AppError(APP_ERROR_CODES.UNAUTHENTICATED, 'Call this function from the mini-program (wx.cloud.callFunction); no user identity was provided.');
  }
  return { openid: OPENID, ...(APPID ? { appid: APPID } : {}) };
}

export function clientFunction<T>(
  readContext: WxContextReader,
  run: (event: unknown, caller: Caller) => Promise<T>,
): (event: unknown) => Promise<T | ClientError> {
  return async (event) => {
    try {
      return await run(event, requireCaller(readContext));
    } catch (err) {
      if (!(err instanceof AppError)) {
        // Our bug or an outage: logged for us (no error here is built from a secret), hidden from the client.
        const e = err as { name?: string; code?: unknown; message?: string };
        console.error(JSON.stringify({ event: 'function.failed', name: e?.name, code: e?.code ?? null, message: String(e?.message ?? err).slice(0, 300) }));
      }
      return toClientError(err);
    }
  };
}
