/**
 * The wrapper every client-called function uses: the transport read from the event (direct call
 * or SCF function URL, transport.ts), the caller from the configured identity source
 * (identity.ts), errors as `{error: {code, message, retryable}}`, never a stack trace or a secret.
 */
import type { IdentityConfig } from '../config';
import { AppError, toClientError } from '../errors';
import { prepareSecrets } from '../ssm/env';
import { exchangeLoginCode, identityConfig, resolveCaller, type Caller, type WxContextReader } from './identity';
import { answer, parseClientRequest, transportOf, type ClientRequest } from './transport';

export { requireCaller } from './identity';
export type { Caller, WxContextReader } from './identity';

export interface ClientFunctionOptions {
  /** Identity settings source; default process.env read once per instance. */
  env?: Record<string, string | undefined>;
  /** ms since the epoch; default Date.now. */
  now?: () => number;
}

/** A direct call answers the value; an HTTP call answers `{statusCode, headers, body}`. */
export type ClientHandler = (event: unknown) => Promise<unknown>;

function serve(options: ClientFunctionOptions, handle: (request: ClientRequest, identity: IdentityConfig) => Promise<unknown>): ClientHandler {
  return async (event) => {
    const transport = transportOf(event);
    try {
      const request = parseClientRequest(event);
      // Resolves ssm: references (cached per instance) before any configuration is read; a no-op without any.
      await prepareSecrets();
      return answer(transport, await handle(request, identityConfig(options.env)));
    } catch (err) {
      if (!(err instanceof AppError)) {
        // Our bug, our configuration or an outage: logged for us (no error here is built from a secret), hidden from the client.
        const e = err as { name?: string; code?: unknown; message?: string };
        console.error(JSON.stringify({ event: 'function.failed', name: e?.name, code: e?.code ?? null, message: String(e?.message ?? err).slice(0, 300) }));
      }
      return answer(transport, toClientError(err));
    }
  };
}

export function clientFunction<T>(
  readContext: WxContextReader,
  run: (event: unknown, caller: Caller) => Promise<T>,
  options: ClientFunctionOptions = {},
): ClientHandler {
  const now = options.now ?? Date.now;
  return serve(options, async (request, identity) => run(request.data, resolveCaller(identity, request, readContext, now())));
}

/**
 * login: on WeChat Cloud the platform already knows the user → `{openid}`. In session mode the
 * client sends `{code}` from wx.login() → `{openid, token, expiresAt}` (code2Session, then a signed token).
 * `onLogin` runs for the verified caller in both modes (e.g. to keep a users record).
 */
export function loginFunction(
  readContext: WxContextReader,
  onLogin: (caller: Caller) => Promise<void>,
  options: ClientFunctionOptions = {},
): ClientHandler {
  const now = options.now ?? Date.now;
  return serve(options, async (request, identity) => {
    if (identity.mode === 'wxcontext') {
      const caller = resolveCaller(identity, request, readContext, now());
      await onLogin(caller);
      return { openid: caller.openid };
    }
    const { caller, token, expiresAt } = await exchangeLoginCode(identity.session, request.data, now);
    await onLogin(caller);
    return { openid: caller.openid, token, expiresAt };
  });
}
