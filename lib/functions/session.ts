/**
 * Session tokens for deployments without a platform identity (SCF function URLs): after login
 * has exchanged wx.login()'s code with WeChat, the caller holds `v1.<claims>.<mac>` where
 * claims = base64url JSON {openid, appid?, iat, exp} and mac = base64url HMAC-SHA256(secret,
 * "v1.<claims>"). Stateless, so any function instance verifies it with the shared secret alone.
 * The token carries no session_key: that never leaves the server.
 */
import { createHmac, timingSafeEqual } from 'crypto';

export const SESSION_TOKEN_VERSION = 'v1';
/** HMAC-SHA256 keys shorter than the hash output are guessable in bulk; refuse them. */
export const MIN_SESSION_SECRET_BYTES = 32;

export const SESSION_ERROR_CODES = {
  SESSION_EXPIRED: 'SESSION_EXPIRED',
  SESSION_INVALID: 'SESSION_INVALID',
} as const;
export type SessionErrorCode = (typeof SESSION_ERROR_CODES)[keyof typeof SESSION_ERROR_CODES];

export class SessionError extends Error {
  override readonly name = 'SessionError';
  constructor(readonly code: SessionErrorCode, message: string) {
    super(message);
  }
}

export interface SessionClaims {
  openid: string;
  appid?: string;
  /** seconds since the epoch */
  iat: number;
  exp: number;
}

export interface SignSessionOptions {
  secret: Buffer;
  openid: string;
  appid?: string;
  ttlSeconds: number;
  /** ms since the epoch */
  now: number;
}

function requireSecret(secret: Buffer): void {
  if (secret.length < MIN_SESSION_SECRET_BYTES) throw new Error(`session secret must be at least ${MIN_SESSION_SECRET_BYTES} bytes`);
}

function mac(secret: Buffer, signed: string): Buffer {
  return createHmac('sha256', secret).update(signed, 'utf8').digest();
}

export function signSessionToken(o: SignSessionOptions): { token: string; claims: SessionClaims } {
  requireSecret(o.secret);
  if (!o.openid) throw new Error('openid is required');
  if (!Number.isInteger(o.ttlSeconds) || o.ttlSeconds <= 0) throw new Error('ttlSeconds must be a positive integer');
  const iat = Math.floor(o.now / 1000);
  const claims: SessionClaims = { openid: o.openid, ...(o.appid ? { appid: o.appid } : {}), iat, exp: iat + o.ttlSeconds };
  const signed = `${SESSION_TOKEN_VERSION}.${Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url')}`;
  return { token: `${signed}.${mac(o.secret, signed).toString('base64url')}`, claims };
}

export interface VerifySessionOptions {
  secret: Buffer;
  /** ms since the epoch */
  now: number;
  /** When set, the token must name this mini-program (one minted for another is refused). */
  appid?: string;
}

const invalid = (why: string): SessionError => new SessionError(SESSION_ERROR_CODES.SESSION_INVALID, `Session token ${why}: log in again.`);
const B64URL = /^[A-Za-z0-9_-]+$/;

/** Check order: shape → MAC (constant time) → claims → audience → expiry. Nothing unverified is parsed. */
export function verifySessionToken(token: unknown, o: VerifySessionOptions): SessionClaims {
  requireSecret(o.secret);
  if (typeof token !== 'string' || token.length === 0 || token.length > 4096) throw invalid('is missing or malformed');
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== SESSION_TOKEN_VERSION || !B64URL.test(parts[1]) || !B64URL.test(parts[2])) {
    throw invalid('is malformed');
  }
  const expected = mac(o.secret, `${parts[0]}.${parts[1]}`);
  const given = Buffer.from(parts[2], 'base64url');
  // Length first (it is public: always 32), then a constant-time compare of the bytes.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid('signature does not match');
  let claims: Partial<SessionClaims>;
  try {
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Partial<SessionClaims>;
  } catch {
    throw invalid('claims are not JSON');
  }
  if (typeof claims !== 'object' || claims === null || typeof claims.openid !== 'string' || claims.openid === ''
    || !Number.isInteger(claims.exp) || !Number.isInteger(claims.iat)) {
    throw invalid('claims are incomplete');
  }
  if (o.appid && claims.appid !== o.appid) throw invalid('was issued for another mini-program');
  if ((claims.exp as number) * 1000 <= o.now) {
    throw new SessionError(SESSION_ERROR_CODES.SESSION_EXPIRED, 'Session expired: log in again (wx.login, then the login function).');
  }
  return claims as SessionClaims;
}

/** `Authorization: Bearer <token>` → token, or undefined when absent or another scheme. */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return m ? m[1] : undefined;
}
