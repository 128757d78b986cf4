/**
 * The ports the offline stack listens on by default (`npm start`, each emulator's cli). One table
 * (firebase's DEFAULT_PORTS): the stack, the mini-program's local build and the docs read it here.
 * Tests pass port 0 (any free port).
 */
export const DEFAULT_PORTS = {
  cloudbase: 8790,
  wechat: 8791,
  console: 8792,
} as const;
