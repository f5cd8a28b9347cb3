// The wire types of docs/protocol.md: HTTP bodies and WebSocket frames, as the server writes them.
// Ids are opaque strings; timestamps are ISO-8601 UTC strings.
export {};
