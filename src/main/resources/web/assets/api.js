// The HTTP half of docs/protocol.md. Every refusal becomes an ApiError carrying the stable code.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code);
    this.status = status;
    this.code = code;
  }
}

export class Api {
  /** @param {() => string | null} token the current bearer token, read on every call */
  constructor(token) {
    this.token = token;
  }

  async call(method, path, body) {
    const headers = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const token = this.token();
    if (token) headers.Authorization = `Bearer ${token}`;
    let response;
    try {
      response = await fetch(`/api/v1${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new ApiError(0, 'network', 'the server cannot be reached');
    }
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    if (!response.ok) {
      throw new ApiError(response.status, json?.code || 'internal', json?.message);
    }
    return json;
  }

  register(username, password) {
    return this.call('POST', '/users', { username, password });
  }

  login(username, password) {
    return this.call('POST', '/tokens', { username, password });
  }

  /** Revokes this tab's token on the server: its WebSocket is closed too. */
  logout() {
    return this.call('DELETE', '/tokens/current');
  }

  conversations() {
    return this.call('GET', '/conversations').then((r) => r.conversations);
  }

  conversation(id) {
    return this.call('GET', `/conversations/${enc(id)}`);
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

  /** Newest first, like the API; {messages, hasMore}. */
  history(conversationId, beforeSeq, limit) {
    const query = new URLSearchParams({ limit: String(limit) });
    if (beforeSeq) query.set('beforeSeq', String(beforeSeq));
    return this.call('GET', `/conversations/${enc(conversationId)}/messages?${query}`);
  }

  receipts(conversationId) {
    return this.call('GET', `/conversations/${enc(conversationId)}/receipts`).then((r) => r.members);
  }

  userByName(username) {
    return this.call('GET', `/users?${new URLSearchParams({ username })}`);
  }

  user(userId) {
    return this.call('GET', `/users/${enc(userId)}`);
  }

  presence(userId) {
    return this.call('GET', `/users/${enc(userId)}/presence`);
  }

  vapidKey() {
    return this.call('GET', '/push/vapid-public-key').then((r) => r.publicKey);
  }

  registerPush(deviceId, subscription) {
    return this.call('PUT', `/devices/${enc(deviceId)}/push`, {
      kind: 'web-push',
      ...subscription,
      previews: true,
    });
  }
}

const enc = encodeURIComponent;
