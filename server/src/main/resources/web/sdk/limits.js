// The limits the container enforces on each component, per component frame. Every component gets this object in its
// init data (`ctx.limits`), and docs/components.md ("Limits") lists them with what happens past each.

export const LIMITS = Object.freeze({
  /** Calls of any method (the server's budget is 20/s per viewer, shared by the whole page). */
  callsPerSecond: 10,
  callBurst: 20,
  /** topic.emit calls, on top of the call budget. */
  emitsPerSecond: 2,
  emitBurst: 5,
  /** Calls waiting for an answer at once. */
  maxPendingCalls: 32,
  /** Messages delivered to the component; past this they are dropped and counted in a `skipped` envelope. */
  messagesPerSecond: 50,
  messageBurst: 100,
  /** One envelope from the component, as JSON. */
  maxEnvelopeBytes: 16 * 1024,
  /** How long the container waits for the server before a call fails with `timeout`. */
  callTimeoutMs: 10_000,
  /** Component storage per component and viewer (keys and JSON values together), and one key's length. */
  storageBytes: 16 * 1024,
  storageKeyChars: 64,
  /** Refused envelopes within 10 s after which the component is unmounted as misbehaving. */
  maxRefusals: 200,
});
