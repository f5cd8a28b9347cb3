/** A token from elsewhere (a stored session, a test); when the server refuses it, it is over. */
export class StaticToken {
    value;
    constructor(value) {
        this.value = value;
    }
    current() {
        return Promise.resolve(this.value);
    }
}
/**
 * Tokens by logging in with a username and password, and logging in again before the token
 * expires or when the server refuses it. The server has no refresh endpoint: each login gives a new
 * token (docs/protocol.md, "Authentication"), and the old one stays valid until its expiry, so
 * calls in flight with it still succeed.
 */
export class PasswordSession {
    login;
    username;
    password;
    options;
    token = null;
    inFlight = null;
    margin;
    now;
    constructor(login, username, password, options = {}) {
        this.login = login;
        this.username = username;
        this.password = password;
        this.options = options;
        this.margin = options.refreshMarginMs ?? 5 * 60_000;
        this.now = options.now ?? Date.now;
    }
    /** The latest token (null before the first login). */
    get latest() {
        return this.token;
    }
    async current() {
        if (!this.token || Date.parse(this.token.expiresAt) - this.now() <= this.margin) {
            await this.refresh();
        }
        return this.token?.token ?? null;
    }
    /** Logs in again; concurrent callers share one login. Throws what the login throws. */
    refresh() {
        if (!this.inFlight) {
            this.inFlight = this.login(this.username, this.password)
                .then((token) => {
                this.token = token;
                this.options.onToken?.(token);
                return true;
            })
                .finally(() => {
                this.inFlight = null;
            });
        }
        return this.inFlight;
    }
}
