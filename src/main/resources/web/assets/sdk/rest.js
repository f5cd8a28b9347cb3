// The HTTP half of docs/protocol.md, one typed method per route. Every refusal becomes an ApiError
// with the stable code; a 401 asks the token source for a new token and tries once more.
import { ApiError } from './errors.js';
export class Rest {
    baseUrl;
    auth;
    fetchFn;
    constructor(options = {}) {
        this.baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
        this.auth = options.auth;
        this.fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
    }
    async call(method, path, body, authenticated = true) {
        if (!authenticated)
            return this.read(await this.attempt(method, path, body, false));
        return this.read(await this.fetchAuthenticated(method, path, body));
    }
    /** The response itself, after one new token on a 401 (for downloads that are not JSON). */
    async fetchAuthenticated(method, path, body) {
        const first = await this.attempt(method, path, body, true);
        if (first.status === 401 && this.auth?.refresh) {
            let renewed = false;
            try {
                renewed = await this.auth.refresh();
            }
            catch {
                // The login failed too (changed password, server away): the 401 stands.
            }
            if (renewed)
                return this.attempt(method, path, body, true);
        }
        return first;
    }
    async attempt(method, path, body, authenticated) {
        const headers = {};
        if (body !== undefined)
            headers['Content-Type'] = 'application/json';
        const token = authenticated ? await this.auth?.current() : null;
        if (token)
            headers.Authorization = `Bearer ${token}`;
        try {
            return await this.fetchFn(`${this.baseUrl}/api/v1${path}`, {
                method,
                headers,
                body: body === undefined ? undefined : JSON.stringify(body),
            });
        }
        catch {
            throw new ApiError(0, 'network', 'the server cannot be reached');
        }
    }
    async read(response) {
        const text = await response.text();
        let json = null;
        try {
            json = text ? JSON.parse(text) : null;
        }
        catch {
            // A proxy's HTML error page: only the status says anything.
        }
        if (!response.ok) {
            throw new ApiError(response.status, json?.code || 'internal', json?.message, json?.retryAfterMs);
        }
        return json;
    }
    // ---- accounts and tokens ----
    register(username, password, displayName) {
        return this.call('POST', '/users', { username, password, displayName }, false);
    }
    login(username, password) {
        return this.call('POST', '/tokens', { username, password }, false);
    }
    /** Revokes the token presented: its WebSockets are closed too. */
    logout() {
        return this.call('DELETE', '/tokens/current');
    }
    /** Revokes every token of the user issued so far. */
    logoutEverywhere() {
        return this.call('DELETE', '/tokens');
    }
    // ---- the caller's own account ----
    account() {
        return this.call('GET', '/account');
    }
    /** Changes the name others see; answers the account as it now is. */
    setDisplayName(displayName) {
        return this.call('PATCH', '/account', { displayName });
    }
    /**
     * Every other device is logged out; the token presented stays valid. `wrong_password` when
     * `currentPassword` is not the account's.
     */
    changePassword(currentPassword, newPassword) {
        return this.call('PUT', '/account/password', { currentPassword, newPassword });
    }
    /** Deletes the account for good (`wrong_password` unless `password` is its own); every token ends. */
    closeAccount(password) {
        return this.call('DELETE', '/account', { password });
    }
    /**
     * Everything the server keeps of the caller's own, as one JSON document (a Blob: save it as a
     * file). Large accounts take a while; `rate_limited` when the node runs too many exports.
     */
    async exportAccount() {
        const response = await this.fetchAuthenticated('GET', '/account/export');
        if (!response.ok)
            await this.read(response);
        return response.blob();
    }
    // ---- conversations ----
    async conversations() {
        return (await this.call('GET', '/conversations')).conversations;
    }
    conversation(conversationId) {
        return this.call('GET', `/conversations/${enc(conversationId)}`);
    }
    openDirect(userId) {
        return this.call('POST', '/conversations', { type: 'direct', members: [userId] });
    }
    createGroup(title, members) {
        return this.call('POST', '/conversations', { type: 'group', title, members });
    }
    addMember(conversationId, userId) {
        return this.call('POST', `/conversations/${enc(conversationId)}/members`, { userId });
    }
    removeMember(conversationId, userId) {
        return this.call('DELETE', `/conversations/${enc(conversationId)}/members/${enc(userId)}`);
    }
    rename(conversationId, title) {
        return this.call('PATCH', `/conversations/${enc(conversationId)}`, { title });
    }
    /** An admin makes a member an admin, or a member again (`last_admin` for the only admin). */
    setRole(conversationId, userId, role) {
        return this.call('PUT', `/conversations/${enc(conversationId)}/members/${enc(userId)}/role`, { role });
    }
    /** An admin sets who may add members and who may rename the group. */
    setPermissions(conversationId, permissions) {
        return this.call('PUT', `/conversations/${enc(conversationId)}/permissions`, permissions);
    }
    /** A new invite link (for whoever may add members); works for `expiresInSeconds` (7 days). */
    createInvite(conversationId, expiresInSeconds) {
        const body = expiresInSeconds === undefined ? {} : { expiresInSeconds };
        return this.call('POST', `/conversations/${enc(conversationId)}/invites`, body);
    }
    async invites(conversationId) {
        return (await this.call('GET', `/conversations/${enc(conversationId)}/invites`)).invites;
    }
    revokeInvite(conversationId, inviteId) {
        return this.call('DELETE', `/conversations/${enc(conversationId)}/invites/${enc(inviteId)}`);
    }
    /** Joins the group of an invite link's token; `not_found` for an expired, revoked or unknown one. */
    joinWithInvite(token) {
        return this.call('POST', '/invites/join', { token });
    }
    setMuted(conversationId, muted) {
        return this.call('PATCH', `/conversations/${enc(conversationId)}/settings`, { muted });
    }
    async receipts(conversationId) {
        return (await this.call('GET', `/conversations/${enc(conversationId)}/receipts`)).members;
    }
    // ---- messages ----
    /** Newest first: up to `limit` (1-100) messages with seq below `beforeSeq` (default: the latest). */
    history(conversationId, options = {}) {
        const query = new URLSearchParams();
        if (options.limit !== undefined)
            query.set('limit', String(options.limit));
        if (options.beforeSeq)
            query.set('beforeSeq', String(options.beforeSeq));
        const suffix = query.toString() ? `?${query}` : '';
        return this.call('GET', `/conversations/${enc(conversationId)}/messages${suffix}`);
    }
    /**
     * The HTTP send: the same path as the WebSocket's; a retry with the same clientMsgId stores
     * nothing new. `replyTo` and `mentions` as for `connection.send`.
     */
    postMessage(conversationId, clientMsgId, body, attachments = [], options = {}) {
        const request = { clientMsgId, body };
        if (attachments.length > 0)
            request.attachments = attachments;
        if (options.replyTo)
            request.replyTo = { seq: options.replyTo.seq };
        if (options.mentions && options.mentions.length > 0)
            request.mentions = [...new Set(options.mentions)];
        return this.call('POST', `/conversations/${enc(conversationId)}/messages`, request);
    }
    /**
     * The HTTP edit, delete for everyone or reaction of the message at `seq`: the same path as the
     * WebSocket's `edit`, `delete` and `react` (same refusals; a retry with the same clientMsgId gets
     * the first answer, whose seq is the amendment's own entry).
     */
    amendMessage(conversationId, seq, clientMsgId, change) {
        return this.call('POST', `/conversations/${enc(conversationId)}/messages/${seq}/amendments`, { clientMsgId, ...change });
    }
    // ---- attachments ----
    /** Where to PUT a file for a message to the conversation (members only). */
    requestUpload(conversationId, mime, size, name) {
        return this.call('POST', '/uploads', { conversationId, mime, size, name });
    }
    /**
     * Uploads `data` straight to the object store and answers the attachment to send with
     * `connection.send(..., { attachments: [...] })` (add `width`, `height`, `preview` if known).
     */
    async uploadFile(conversationId, data, mime, name) {
        const size = data instanceof Uint8Array ? data.byteLength : data.size;
        const ticket = await this.requestUpload(conversationId, mime, size, name);
        await this.putToStore(ticket, data);
        return { id: ticket.uploadId, mime, size, name };
    }
    /** PUTs `data` where an upload ticket says, straight to the object store. */
    async putToStore(ticket, data) {
        let response;
        try {
            // The URL is the permission: no bearer token goes to the store.
            const body = (data instanceof Uint8Array ? new Blob([data]) : data);
            response = await this.fetchFn(ticket.url, { method: ticket.method, headers: ticket.headers, body });
        }
        catch {
            throw new ApiError(0, 'network', 'the object store cannot be reached');
        }
        if (!response.ok)
            throw new ApiError(response.status, 'bad_request', `the object store refused the upload (${response.status})`);
    }
    /** Uploads a PNG, JPEG or WebP image (at most 1 MiB) straight to the store and shows it. */
    async setAvatar(data, mime) {
        const size = data instanceof Uint8Array ? data.byteLength : data.size;
        const ticket = await this.call('POST', '/account/avatar/uploads', { mime, size });
        await this.putToStore(ticket, data);
        return this.call('PUT', '/account/avatar', { uploadId: ticket.uploadId });
    }
    clearAvatar() {
        return this.call('DELETE', '/account/avatar');
    }
    /** Where to GET a user's picture (theirs and their contacts' only; `not_found` otherwise). */
    avatarOf(userId) {
        return this.call('GET', `/users/${enc(userId)}/avatar`);
    }
    /** Where to GET an attachment of the message at `seq`, for whoever may read that message. */
    download(conversationId, seq, attachmentId) {
        return this.call('GET', `/conversations/${enc(conversationId)}/messages/${seq}/attachments/${enc(attachmentId)}`);
    }
    // ---- people ----
    userByName(username) {
        return this.call('GET', `/users?${new URLSearchParams({ username })}`);
    }
    user(userId) {
        return this.call('GET', `/users/${enc(userId)}`);
    }
    presence(userId) {
        return this.call('GET', `/users/${enc(userId)}/presence`);
    }
    // ---- blocks and reports ----
    /** Idempotent; in force everywhere once it answers. `too_many_blocks` past the server's limit. */
    block(userId) {
        return this.call('PUT', `/blocks/${enc(userId)}`);
    }
    unblock(userId) {
        return this.call('DELETE', `/blocks/${enc(userId)}`);
    }
    /** Oldest block first. */
    async blocks() {
        return (await this.call('GET', '/blocks')).blocked;
    }
    /** Reports a message or a user to the moderators. */
    report(request) {
        return this.call('POST', '/reports', request);
    }
    // ---- devices and push ----
    async devices() {
        return (await this.call('GET', '/devices')).devices;
    }
    /** Logs that device out (its tokens revoked, its WebSocket closed) and drops it from the list. */
    logoutDevice(deviceId) {
        return this.call('DELETE', `/devices/${enc(deviceId)}`);
    }
    registerPush(deviceId, registration) {
        return this.call('PUT', `/devices/${enc(deviceId)}/push`, registration);
    }
    removePush(deviceId) {
        return this.call('DELETE', `/devices/${enc(deviceId)}/push`);
    }
    async vapidPublicKey() {
        return (await this.call('GET', '/push/vapid-public-key')).publicKey;
    }
    // ---- health ----
    ready() {
        return this.call('GET', '/health/ready', undefined, false);
    }
}
const enc = encodeURIComponent;
