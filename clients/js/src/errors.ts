import type { ErrorCode } from './types.js';

/** A refusal from the server (its stable `code`), or `network` when it could not be reached. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  /** Only on `overloaded`: how long to wait before retrying. */
  readonly retryAfterMs: number | undefined;

  constructor(status: number, code: ErrorCode, message?: string, retryAfterMs?: number) {
    super(message || code);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retryAfterMs = retryAfterMs;
  }
}
