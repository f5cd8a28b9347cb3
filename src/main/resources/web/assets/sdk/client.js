// The usual way in: log in, then use `rest` for the HTTP routes and `connection` for live traffic.
import { PasswordSession } from './auth.js';
import { Connection } from './connection.js';
import { Rest } from './rest.js';
export class MessengerClient {
    rest;
    connection;
    session;
    constructor(rest, connection, session) {
        this.rest = rest;
        this.connection = connection;
        this.session = session;
    }
    /**
     * Logs in (an ApiError `unauthorized` for a wrong password) and prepares a connection for
     * `deviceId`; call `connection.start()` to go live. The session logs in again before the token
     * expires and whenever the server refuses it.
     */
    static async login(options) {
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
    get userId() {
        return this.session.latest.userId;
    }
    /** Stops the connection and revokes the token on the server. */
    async logout() {
        this.connection.stop();
        await this.rest.logout();
    }
}
