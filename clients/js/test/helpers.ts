// What the SDK's tests share: the server under test (MESSENGER_URL), fresh users, clients on the
// `ws` package (Node 18 and 20 have no WebSocket of their own), polling with a deadline, and a TCP
// proxy that can cut connections.

import { randomBytes } from 'node:crypto';
import net from 'node:net';
import WebSocket from 'ws';
import { Connection, MessengerClient, Rest, type InboxItem, type LoginOptions, type WebSocketLike } from '../src/index.js';

export const baseUrl: string = (() => {
  const url = process.env.MESSENGER_URL;
  if (!url) throw new Error('MESSENGER_URL is not set: the tests need a running server (see README)');
  return url.replace(/\/+$/, '');
})();

/** The server's `websocket-connection-timeout`, which JsSdkIntegrationTest shortens (default 30 s). */
export const heartbeatTimeoutMs = Number(process.env.MESSENGER_HEARTBEAT_TIMEOUT_MS ?? 30_000);

export const webSocket = (url: string): WebSocketLike => new WebSocket(url) as unknown as WebSocketLike;

export interface TestUser {
  username: string;
  password: string;
  userId: string;
}

export async function newUser(prefix: string): Promise<TestUser> {
  const username = `${prefix}-${randomBytes(5).toString('hex')}`;
  const password = 'sdk test password';
  const { userId } = await new Rest({ baseUrl }).register(username, password);
  return { username, password, userId };
}

export function login(user: TestUser, deviceId: string, options: Partial<LoginOptions> = {}): Promise<MessengerClient> {
  return MessengerClient.login({
    baseUrl,
    username: user.username,
    password: user.password,
    deviceId,
    webSocket,
    backoffBaseMs: 100,
    backoffMaxMs: 1_000,
    ...options,
  });
}

/** Polls `condition` until it holds; fails naming `what` after `timeoutMs`. */
export async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function connected(connection: Connection): Promise<void> {
  await until(`connection ${connection.state} -> connected`, () => connection.state === 'connected');
}

/** Every inbox entry a connection hands over, in order. */
export function received(connection: Connection): InboxItem[] {
  const items: InboxItem[] = [];
  connection.on('messages', (batch) => items.push(...batch));
  return items;
}

/** A TCP proxy to the server whose connections the test can cut, and which can refuse new ones. */
export class CuttableProxy {
  private readonly sockets = new Set<net.Socket>();
  private refusing = false;
  private constructor(private readonly server: net.Server) {}

  static async start(target: string): Promise<CuttableProxy> {
    const { hostname, port } = new URL(target);
    const server = net.createServer();
    const proxy = new CuttableProxy(server);
    server.on('connection', (client) => {
      if (proxy.refusing) {
        client.destroy();
        return;
      }
      const upstream = net.connect(Number(port), hostname);
      for (const [a, b] of [[client, upstream], [upstream, client]] as const) {
        proxy.sockets.add(a);
        a.on('close', () => {
          proxy.sockets.delete(a);
          b.destroy();
        });
        a.on('error', () => b.destroy());
        a.pipe(b);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  /**
   * Keeps the connections open but passes nothing more either way, and no close: a network that
   * vanished without a FIN. Only the client's own silence watchdog can notice.
   */
  freeze(): void {
    for (const socket of this.sockets) {
      socket.unpipe();
      socket.removeAllListeners('close');
      socket.removeAllListeners('data');
      socket.pause();
    }
  }

  /** Drops every connection at once, as a vanished network or a restarted server would. */
  cut(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  refuse(refusing: boolean): void {
    this.refusing = refusing;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
