import type { Token } from './types.js';

/**
 * Where calls get their bearer token. `current` is asked before every HTTP call and every
 * WebSocket attempt; `refresh` after the server refused a token (expired or revoked), and answers
 * whether a new one is there to try.
 */
export interface TokenSource {
  current(): Promise<string | null>;
  refresh?(): Promise<boolean>;
}

/** A token from elsewhere (a stored session, a test); when the server refuses it, it is over. */
export class StaticToken implements TokenSource {
  constructor(private readonly value: string | null) {}

  current(): Promise<string | null> {
    return Promise.resolve(this.value);
  }
}

export interface PasswordSessionOptions {
  /** Log in again when the token is this close to `expiresAt` (default 5 minutes). */
  refreshMarginMs?: number;
  /** Told each new token, e.g. to store it. */
  onToken?: (token: Token) => void;
  now?: () => number;
}

/**
 * Tokens by logging in with a username and password, and logging in again before the token
 * expires or when the server refuses it. The server has no refresh endpoint: each login gives a new
 * token (docs/protocol.md, "Authentication"), and the old one stays valid until its expiry, so
 * calls in flight with it still succeed.
 */
export class PasswordSession implements TokenSource {
  private token: Token | null = null;
  private inFlight: Promise<boolean> | null = null;
  private readonly margin: number;
  private readonly now: () => number;

  constructor(
    private readonly login: (username: string, password: string) => Promise<Token>,
    private readonly username: string,
    private readonly password: string,
    private readonly options: PasswordSessionOptions = {},
  ) {
    this.margin = options.refreshMarginMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** The latest token (null before the first login). */
  get latest(): Token | null {
    return this.token;
  }

  async current(): Promise<string | null> {
    if (!this.token || Date.parse(this.token.expiresAt) - this.now() <= this.margin) {
      await this.refresh();
    }
    return this.token?.token ?? null;
  }

  /** Logs in again; concurrent callers share one login. Throws what the login throws. */
  refresh(): Promise<boolean> {
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
