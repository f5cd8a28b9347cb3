export {
  amend,
  applyAmendment,
  held,
  isAmendment,
  mergeEntries,
  quotePreview,
  type AmendmentEntry,
  type HeldMessage,
} from './amendments.js';
export { PasswordSession, StaticToken, type PasswordSessionOptions, type TokenSource } from './auth.js';
export { MessengerClient, type LoginOptions } from './client.js';
export {
  Connection,
  type ConnectionEvents,
  type ConnectionOptions,
  type ConnectionState,
  type ConversationEvent,
  type StateChange,
  type WebSocketFactory,
  type WebSocketLike,
} from './connection.js';
export { Emitter } from './emitter.js';
export { ApiError } from './errors.js';
export type { AmendOptions, PendingRequest, SendOptions } from './outbox.js';
export { Rest, type Fetch, type RestOptions } from './rest.js';
export type * from './types.js';
