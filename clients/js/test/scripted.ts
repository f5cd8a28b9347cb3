// A connection on sockets the test plays the server on, for the tests that need no server (no
// MESSENGER_URL): de-duplication across reconnects, ack timing.

import { Connection, StaticToken, type ClientFrame, type ConnectionOptions, type InboxItem, type WebSocketLike } from '../src/index.js';

const OPEN = 1;
const CLOSED = 3;

/** A socket the test plays the server on: it opens, delivers and closes when told. */
export class ScriptedSocket implements WebSocketLike {
  readyState = 0;
  readonly sent: ClientFrame[] = [];
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: unknown) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  send(data: string): void {
    this.sent.push(JSON.parse(data) as ClientFrame);
  }

  close(): void {
    this.readyState = CLOSED;
  }

  open(): void {
    this.readyState = OPEN;
    this.onopen?.({});
  }

  deliver(items: InboxItem[]): void {
    this.onmessage?.({ data: JSON.stringify({ type: 'messages', items }) });
  }

  drop(): void {
    this.readyState = CLOSED;
    this.onclose?.({});
  }

  acks(): ClientFrame[] {
    return this.sent.filter((frame) => frame.type === 'ack');
  }
}

/**
 * A connection on scripted sockets; `next()` resolves with each socket it opens, in turn. It acks
 * after every frame unless `ackDelayMs` says otherwise.
 */
export function scripted(options: Partial<Pick<ConnectionOptions, 'positions' | 'ackDelayMs'>> = {}) {
  const sockets: ScriptedSocket[] = [];
  const waiting: ((socket: ScriptedSocket) => void)[] = [];
  const connection = new Connection({
    baseUrl: 'http://scripted.invalid',
    deviceId: 'phone',
    auth: new StaticToken('token'),
    webSocket: () => {
      const socket = new ScriptedSocket();
      sockets.push(socket);
      waiting.shift()?.(socket);
      return socket;
    },
    backoffBaseMs: 1,
    backoffMaxMs: 1,
    random: () => 0,
    ackDelayMs: 0,
    ...options,
  });
  const handed: InboxItem[] = [];
  connection.on('messages', (batch) => handed.push(...batch));
  let taken = 0;
  const next = (): Promise<ScriptedSocket> => {
    const index = taken++;
    if (sockets[index]) return Promise.resolve(sockets[index]);
    return new Promise((resolve) => waiting.push(resolve));
  };
  return { connection, handed, next };
}

export function item(cursor: number, messageId: string, conversationId: string, seq: number): InboxItem {
  return { cursor, messageId, conversationId, seq, senderId: 'u-alice', body: messageId, timestamp: '2026-12-01T00:00:00Z' };
}
