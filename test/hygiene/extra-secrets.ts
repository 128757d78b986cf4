/** Secrets a deployment holds besides the credentials file; the functions get them, nobody else may. */
export const EXTRA_SECRETS = {
  SESSION_TOKEN_SECRET: 'hygiene-session-secret-0123456789abcdef0123456789',
  WX_APP_SECRET: 'hygieneappsecret0123456789abcdef',
};
