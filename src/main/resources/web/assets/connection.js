// The WebSocket to the server (docs/protocol.md, "WebSocket"): connects, answers heartbeats,
// acknowledges what was handled, and reconnects with backoff when the connection goes away.
//
// States, shown to the user: 'connecting' (first try), 'catching-up' (open, the server is sending
// what this device missed), 'connected', 'reconnecting' (waiting for the next try), 'replaced'
// (this device connected from another tab; not retried), 'signed-out' (the token is refused).

const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 30_000;
// The server pings every 15 s; two missed pings mean the connection is dead even if the browser
// has not noticed (a laptop that slept, a network that vanished without a FIN).
const SILENCE_LIMIT_MS = 40_000;
// The protocol does not mark the end of catch-up: it is over when the batches stop coming.
const CATCH_UP_QUIET_MS = 600;
const DEVICE_LIMIT_RETRY_MS = 60_000;

export class Connection {
  /**
   * @param {object} options
   * @param {() => string} options.url the WebSocket URL, token included, built at each attempt
   * @param {(frame: object) => void} options.onFrame every server frame but ping
   * @param {(state: string, detail?: object) => void} options.onState
   * @param {() => void} options.onOpen after each (re)connect, to resend and refresh
   * @param {() => Promise<boolean>} options.tokenValid asked after failed attempts: a refused
   *     upgrade looks like any other failure to a browser, so ask the HTTP API about the token
   */
  constructor(options) {
    this.options = options;
    this.socket = null;
    this.attempt = 0;
    this.state = 'connecting';
    this.stopped = false;
    this.retryTimer = null;
    this.quietTimer = null;
    this.watchdog = null;
    this.lastHeard = 0;
    this.lastError = null;
    this.highestCursor = 0;
    // Only a connection that is waiting anyway: a replaced one stays put until the user says so.
    this.onOnline = () => {
      if (this.state === 'reconnecting') this.retryNow();
    };
  }

  start() {
    this.stopped = false;
    window.addEventListener('online', this.onOnline);
    this.connect();
  }

  stop() {
    this.stopped = true;
    window.removeEventListener('online', this.onOnline);
    clearTimeout(this.retryTimer);
    clearTimeout(this.quietTimer);
    clearInterval(this.watchdog);
    if (this.socket) this.socket.close();
    this.socket = null;
  }

  /** Sends a frame if the connection is open; false if it is not (the caller keeps it to retry). */
  send(frame) {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  /** Skips the wait before the next attempt (the network came back, or the user asked). */
  retryNow() {
    if (this.stopped || this.socket) return;
    clearTimeout(this.retryTimer);
    this.connect();
  }

  connect() {
    this.lastError = null;
    let opened = false;
    const socket = new WebSocket(this.options.url());
    this.socket = socket;
    socket.onopen = () => {
      opened = true;
      this.attempt = 0;
      this.lastHeard = Date.now();
      this.setState('catching-up');
      this.quietSoon();
      clearInterval(this.watchdog);
      this.watchdog = setInterval(() => {
        if (Date.now() - this.lastHeard > SILENCE_LIMIT_MS) socket.close();
      }, 5_000);
      this.options.onOpen();
    };
    socket.onmessage = (event) => {
      this.lastHeard = Date.now();
      this.onMessage(event.data);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      clearInterval(this.watchdog);
      clearTimeout(this.quietTimer);
      if (!this.stopped) this.afterClose(opened);
    };
  }

  onMessage(data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch (e) {
      return;
    }
    switch (frame.type) {
      case 'ping':
        this.send({ type: 'pong' });
        return;
      case 'messages': {
        // Entries this page already handled (a reconnect replays from the acked cursor, and an
        // ack may have been lost with the old connection) are skipped here; the store also drops
        // any messageId it holds.
        const fresh = frame.items.filter((item) => item.cursor > this.highestCursor);
        if (fresh.length > 0) {
          this.options.onFrame({ type: 'messages', items: fresh });
          this.highestCursor = fresh[fresh.length - 1].cursor;
        }
        // Acknowledged only after handling, so a crash before it loses nothing.
        if (frame.items.length > 0) this.send({ type: 'ack', cursor: frame.items[frame.items.length - 1].cursor });
        if (this.state === 'catching-up') this.quietSoon();
        return;
      }
      case 'error':
        if (!frame.ref) this.lastError = frame.code;
        this.options.onFrame(frame);
        return;
      default:
        this.options.onFrame(frame);
    }
  }

  quietSoon() {
    clearTimeout(this.quietTimer);
    this.quietTimer = setTimeout(() => {
      if (this.state === 'catching-up') this.setState('connected');
    }, CATCH_UP_QUIET_MS);
  }

  async afterClose(opened) {
    if (this.lastError === 'replaced') {
      this.setState('replaced');
      return;
    }
    // The token was revoked (logged out here or everywhere): retrying with it cannot work.
    if (this.lastError === 'unauthorized') {
      this.setState('signed-out');
      return;
    }
    if (!opened && this.attempt >= 2 && !(await this.options.tokenValid())) {
      this.setState('signed-out');
      return;
    }
    if (this.stopped) return;
    const delay = this.lastError === 'device_limit' ? DEVICE_LIMIT_RETRY_MS : this.backoff();
    this.attempt += 1;
    this.setState('reconnecting', { retryAt: Date.now() + delay });
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  /** Exponential, capped, with "equal jitter" so a server restart is not met by a stampede. */
  backoff() {
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** this.attempt);
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  setState(state, detail) {
    this.state = state;
    this.options.onState(state, detail);
  }
}
