/** A refusal by the console itself: HTTP status, stable code, message (sent as {error: {code, message}}). */
export class ConsoleError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}
