/** A refusal from the server (its stable `code`), or `network` when it could not be reached. */
export class ApiError extends Error {
    status;
    code;
    /** Only on `overloaded`: how long to wait before retrying. */
    retryAfterMs;
    constructor(status, code, message, retryAfterMs) {
        super(message || code);
        this.name = 'ApiError';
        this.status = status;
        this.code = code;
        this.retryAfterMs = retryAfterMs;
    }
}
