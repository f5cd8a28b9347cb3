// The usual way in: log in, then use `rest` for the HTTP routes and `connection` for live traffic.

import { PasswordSession, type PasswordSessionOptions } from './auth.js';
import { Connection, type ConnectionOptions } from './connection.js';
import { Rest, type Fetch } from './rest.js';

export interface LoginOptions
  extends Omit<ConnectionOptions, 'auth' | 'rest' | 'baseUrl'>,
    PasswordSessionOptions {
  baseUrl: string;
  username: string;
  password: string;
  fetch?: Fetch;
}

export class MessengerClient {
  private constructor(
    readonly rest: Rest,
    readonly connection: Connection,
    readonly session: PasswordSession,
  ) {}

  /**
   * Logs in (an ApiError `unauthorized` for a wrong password) and prepares a connection for
   * `deviceId`; call `connection.start()` to go live. The session logs in again before the token
   * expires and whenever the server refuses it.
   */
  static async login(options: LoginOptions): Promise<MessengerClient> {
    const { baseUrl, username, password, fetch, refreshMarginMs, onToken, now, ...connection } = options;
    const anonymous = new Rest({ baseUrl, fetch });
    const session = new PasswordSession((u, p) => anonymous.login(u, p), username, password, {
      refreshMarginMs,
      onToken,
      now,
    });
    await session.refresh();
    const rest = new Rest({ baseUrl, fetch, auth: session });
    return new MessengerClient(rest, new Connection({ ...connection, baseUrl, auth: session, rest }), session);
  }

  get userId(): string {
    return this.session.latest!.userId;
  }

  /** Stops the connection and revokes the token on the server. */
  async logout(): Promise<void> {
    this.connection.stop();
    await this.rest.logout();
  }
}
