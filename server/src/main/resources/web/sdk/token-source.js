// The viewer's token for the realtime channel: either fixed (the `token` attribute) or fetched from the host page's
// provider (`el.tokenProvider = async () => token`). A provided token is asked for again shortly before it expires, so a
// reconnect an hour into a show still signs in. The token never leaves the container: components never see it.

/** Seconds before `exp` at which a provided token counts as stale and is fetched again. */
export const REFRESH_BEFORE_SECONDS = 60;

export class TokenSource {
  #fixed = null;
  #provider = null;
  #token = null;
  #pending = null;

  setFixed(token) {
    this.#fixed = token || null;
  }

  setProvider(provider) {
    this.#provider = typeof provider === 'function' ? provider : null;
    this.#token = null;
  }

  /** Whether any token can be had; without one the viewer watches anonymously (read-only). */
  get present() {
    return !!(this.#fixed || this.#provider);
  }

  /** A token that is valid for at least REFRESH_BEFORE_SECONDS, or null for an anonymous viewer. */
  async current() {
    if (this.#provider) {
      if (this.#token && !expiresSoon(this.#token)) {
        return this.#token;
      }
      // one request at a time, however many reconnects ask at once
      this.#pending ??= Promise.resolve()
        .then(() => this.#provider())
        .then((t) => {
          if (typeof t !== 'string' || !t) {
            throw new Error('tokenProvider must resolve to a token string');
          }
          this.#token = t;
          return t;
        })
        .finally(() => { this.#pending = null; });
      return this.#pending;
    }
    return this.#fixed;
  }

  /** Forgets a provided token the server refused, so the next call asks the provider again. */
  invalidate() {
    this.#token = null;
  }

  /** Milliseconds until the current provided token should be renewed, or null when nothing needs renewing. */
  msUntilRefresh() {
    const exp = this.#token ? expiry(this.#token) : null;
    return exp == null ? null : Math.max(0, (exp - REFRESH_BEFORE_SECONDS) * 1000 - Date.now());
  }
}

/** The token's `exp` claim in seconds, or null when it cannot be read (the server decides then). */
export function expiry(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const exp = JSON.parse(atob(payload)).exp;
    return typeof exp === 'number' ? exp : null;
  } catch {
    return null;
  }
}

/** Anything past this can no longer sign in a reconnect (the server refuses expired tokens). */
export function expiresSoon(token) {
  const exp = expiry(token);
  return exp != null && exp * 1000 - Date.now() < REFRESH_BEFORE_SECONDS * 1000;
}
