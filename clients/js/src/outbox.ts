// Sends, edits, deletions and reactions waiting for the server's answer. Each keeps its clientMsgId
// for life, so however often it goes again (after a reconnect, after `overloaded`, `rate_limited`
// or `unavailable`) the server stores it once and answers every copy with the same `sent`
// (docs/protocol.md, "Sending").

import { ApiError } from './errors.js';
import type { Attachment, ClientFrame, ErrorCode, ErrorFrame, SentFrame } from './types.js';

export interface AmendOptions {
  /** Default: a new random one. Pass a stored one to retry a request from an earlier session. */
  clientMsgId?: string;
}

export interface SendOptions extends AmendOptions {
  /** Files uploaded with `rest.uploadFile` to this conversation; then `body` may be empty. */
  attachments?: Attachment[];
  /** The message this one answers (its seq); readers see it quoted. */
  replyTo?: { seq: number };
  /** Members mentioned (userIds): they are notified even when the conversation is muted. */
  mentions?: string[];
}

/**
 * A frame the server answers with `sent`, or an error whose `ref` is its clientMsgId: a send, an
 * edit, a delete or a react.
 */
export type PendingRequest = Extract<ClientFrame, { clientMsgId: string }>;

interface Pending {
  clientMsgId: string;
  frame: PendingRequest;
  /** On the current connection and not yet answered. */
  inFlight: boolean;
  retries: number;
  retryTimer: ReturnType<typeof setTimeout> | undefined;
  promise: Promise<SentFrame>;
  resolve: (frame: SentFrame) => void;
  reject: (error: ApiError) => void;
}

export interface OutboxOptions {
  window: number;
  random: () => number;
  /** Puts a frame on the socket; false when there is no open connection. */
  transmit: (frame: ClientFrame) => boolean;
  onSent: (frame: SentFrame) => void;
}

/** Refusals that pass: the same clientMsgId again after a pause. */
const TRANSIENT: ReadonlySet<ErrorCode> = new Set(['overloaded', 'rate_limited', 'unavailable']);
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 15_000;

export class Outbox {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly options: OutboxOptions) {}

  /** `request` without its clientMsgId, which is `clientMsgId` or a new one. */
  add(request: DistributiveOmit<PendingRequest, 'clientMsgId'>, clientMsgId = newClientMsgId(this.options.random)): Promise<SentFrame> {
    const existing = this.pending.get(clientMsgId);
    if (existing) return existing.promise;
    let resolve!: (frame: SentFrame) => void;
    let reject!: (error: ApiError) => void;
    const promise = new Promise<SentFrame>((yes, no) => {
      resolve = yes;
      reject = no;
    });
    const frame = { ...request, clientMsgId } as PendingRequest;
    this.pending.set(clientMsgId, {
      clientMsgId, frame, inFlight: false, retries: 0, retryTimer: undefined, promise, resolve, reject,
    });
    this.pump();
    return promise;
  }

  list(): PendingRequest[] {
    return [...this.pending.values()].map(({ frame }) => ({ ...frame }));
  }

  /** A new connection: everything unanswered goes again, oldest first. */
  resendAll(): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.retryTimer);
      p.retryTimer = undefined;
      p.inFlight = false;
    }
    this.pump();
  }

  /** The connection went away: answers to what was on it will not come. */
  disconnected(): void {
    for (const p of this.pending.values()) p.inFlight = false;
  }

  answered(frame: SentFrame): void {
    const p = this.pending.get(frame.clientMsgId);
    // A second answer to a send that went twice (a retry crossed the first answer): already settled.
    if (!p) return;
    clearTimeout(p.retryTimer);
    this.pending.delete(frame.clientMsgId);
    this.options.onSent(frame);
    p.resolve(frame);
    this.pump();
  }

  /** An error frame whose ref may be one of these sends; true if it was. */
  refused(frame: ErrorFrame): boolean {
    const p = frame.ref ? this.pending.get(frame.ref) : undefined;
    if (!p) return false;
    p.inFlight = false;
    if (TRANSIENT.has(frame.code)) {
      p.retries += 1;
      // The server's retryAfterMs when overloaded, else growing; jitter so that clients refused
      // together do not come back together.
      const wait = frame.retryAfterMs ?? Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (p.retries - 1));
      p.retryTimer = setTimeout(() => {
        p.retryTimer = undefined;
        this.pump();
      }, wait + this.options.random() * RETRY_BASE_MS);
    } else {
      this.pending.delete(p.clientMsgId);
      p.reject(new ApiError(0, frame.code, frame.message));
    }
    this.pump();
    return true;
  }

  /** Puts waiting sends on the socket, at most `window` unanswered, in the order they were made. */
  private pump(): void {
    let inFlight = 0;
    for (const p of this.pending.values()) if (p.inFlight) inFlight += 1;
    for (const p of this.pending.values()) {
      if (inFlight >= this.options.window) return;
      if (p.inFlight || p.retryTimer !== undefined) continue;
      if (!this.options.transmit(p.frame)) return;
      p.inFlight = true;
      inFlight += 1;
    }
  }
}

/** Omit over each member of a union, keeping it a union. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function newClientMsgId(random: () => number): string {
  const part = () => Math.floor(random() * 2 ** 32).toString(36);
  return `c-${Date.now().toString(36)}-${part()}${part()}`;
}
