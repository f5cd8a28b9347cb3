export { amend, applyAmendment, held, isAmendment, mergeEntries, quotePreview, } from './amendments.js';
export { PasswordSession, StaticToken } from './auth.js';
export { MessengerClient } from './client.js';
export { Connection, } from './connection.js';
export { Emitter } from './emitter.js';
export { ApiError } from './errors.js';
export { Rest } from './rest.js';
