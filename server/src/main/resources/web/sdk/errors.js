// The typed error of every failed call, on both sides of the bridge. `code` is one of the codes documented in
// docs/components.md ("Errors"): the container's own (forbidden, rate_limited, unavailable, timeout, too_large, …) and
// the server's (PROTOCOL.md "Errors"), passed through unchanged.

export class BridgeError extends Error {
  constructor(code, message) {
    super(message || code);
    this.name = 'BridgeError';
    this.code = code;
  }

  toJSON() {
    return { code: this.code, message: this.message };
  }
}
