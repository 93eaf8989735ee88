// The container's one realtime WebSocket (/rt, PROTOCOL.md) per <live-room>. It reconnects after a drop with growing
// back-off and `since=` the last sequence number it saw, so components miss nothing kept in the room's history; it
// re-sends the subscriptions it held; calls in flight when the socket drops fail with `unavailable` (never hang).

import { BridgeError } from './errors.js';

/** Back-off between reconnects: doubles from the first value up to the last, with up to 30 % random jitter. */
export const BACKOFF_MS = { first: 500, max: 10_000 };
/** A call the server has not answered by then fails with `timeout`. */
export const CALL_TIMEOUT_MS = 10_000;
/** Keeps idle proxies from closing the socket. */
const PING_MS = 25_000;
/** Close codes after which reconnecting cannot help (PROTOCOL.md "Connecting"); 4401 gets one retry with a fresh token. */
const REFUSED = new Set([4403, 4404]);

export class RealtimeChannel {
  #url;
  #handlers;
  #ws = null;
  #nextId = 1;
  #pending = new Map();
  #topics = new Set();
  #lastSeq = null;
  #attempt = 0;
  #timer = null;
  #ping = null;
  #closed = false;
  #authRetried = false;
  #opening = false;

  /**
   * @param url async () => URL of /rt without `since` (it holds the current token)
   * @param handlers { onMessage(envelope), onState('connecting'|'open'|'reconnecting'|'refused', detail), onResync() }
   */
  constructor(url, handlers) {
    this.#url = url;
    this.#handlers = handlers;
  }

  connect() {
    this.#closed = false;
    window.addEventListener('online', this.#onOnline);
    this.#open();
  }

  close() {
    this.#closed = true;
    window.removeEventListener('online', this.#onOnline);
    clearTimeout(this.#timer);
    clearInterval(this.#ping);
    this.#ws?.close(1000, 'closed by the page');
    this.#ws = null;
    this.#failPending('unavailable', 'the room channel closed');
  }

  get connected() {
    return this.#ws?.readyState === WebSocket.OPEN;
  }

  /** Calls a server method; `extra` adds envelope fields (the calling component's version id). */
  call(method, params, extra = {}) {
    if (!this.connected) {
      return Promise.reject(new BridgeError('unavailable', 'not connected to the room; try again in a moment'));
    }
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new BridgeError('timeout', method + ' was not answered within ' + CALL_TIMEOUT_MS + ' ms'));
      }, CALL_TIMEOUT_MS);
      this.#pending.set(id, { resolve, reject, timer });
      this.#send({ id, op: 'call', method, params: params ?? {}, ...extra });
    });
  }

  /** Adds topics; they are re-sent after every reconnect. */
  subscribe(topics) {
    const fresh = topics.filter((t) => !this.#topics.has(t));
    fresh.forEach((t) => this.#topics.add(t));
    if (fresh.length && this.connected) {
      this.#send({ op: 'sub', topics: fresh });
    }
  }

  async #open() {
    this.#handlers.onState(this.#attempt === 0 ? 'connecting' : 'reconnecting');
    let url;
    this.#opening = true;
    try {
      url = new URL(await this.#url());
    } catch (e) {
      this.#handlers.onState('refused', { code: 'token_unavailable', message: String(e?.message ?? e) });
      this.#retry();
      return;
    } finally {
      this.#opening = false;
    }
    if (this.#closed) {
      return;
    }
    if (this.#lastSeq != null) {
      url.searchParams.set('since', String(this.#lastSeq));
    }
    const ws = new WebSocket(url);
    this.#ws = ws;
    let refusal = null;
    ws.onopen = () => {
      this.#attempt = 0;
      this.#handlers.onState('open');
      if (this.#topics.size) {
        this.#send({ op: 'sub', topics: [...this.#topics] });
      }
      clearInterval(this.#ping);
      this.#ping = setInterval(() => this.#send({ op: 'ping' }), PING_MS);
    };
    ws.onmessage = (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return; // the server sends JSON only; anything else is ignored, not fatal
      }
      for (const envelope of Array.isArray(frame) ? frame : [frame]) {
        if (envelope?.op === 'error' && !envelope.id) {
          refusal = envelope.error; // a refused join: the close follows
        }
        this.#receive(envelope);
      }
    };
    ws.onclose = (event) => {
      if (this.#ws !== ws) {
        return;
      }
      clearInterval(this.#ping);
      this.#ws = null;
      this.#failPending('unavailable', 'the room channel dropped');
      if (this.#closed) {
        return;
      }
      if (REFUSED.has(event.code)) {
        this.#handlers.onState('refused', refusal ?? { code: 'refused', message: event.reason || 'refused' });
        return;
      }
      if (event.code === 4401) {
        this.#handlers.onState('refused', refusal ?? { code: 'token_invalid', message: event.reason });
        if (this.#authRetried) {
          return; // a fresh token was refused too: stop instead of hammering the server
        }
        this.#authRetried = true;
        this.#handlers.onTokenRefused?.();
      } else {
        this.#authRetried = false;
      }
      this.#retry();
    };
  }

  /** Back online: try now instead of waiting out a back-off that grew while the network was gone. */
  #onOnline = () => {
    if (this.#closed || this.#opening || this.#ws?.readyState === WebSocket.OPEN || this.#ws?.readyState === WebSocket.CONNECTING) {
      return;
    }
    // a socket still closing from before the outage is abandoned: its close handshake may never finish
    this.#ws = null;
    clearInterval(this.#ping);
    this.#failPending('unavailable', 'the room channel dropped');
    clearTimeout(this.#timer);
    this.#attempt = 0;
    this.#open();
  };

  #retry() {
    if (this.#closed) {
      return;
    }
    const base = Math.min(BACKOFF_MS.max, BACKOFF_MS.first * 2 ** this.#attempt++);
    this.#handlers.onState('reconnecting', { inMs: base });
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#open(), base * (1 + Math.random() * 0.3));
  }

  #receive(envelope) {
    if (!envelope || typeof envelope !== 'object') {
      return;
    }
    if ((envelope.op === 'result' || envelope.op === 'error') && envelope.id) {
      const p = this.#pending.get(envelope.id);
      if (p) {
        this.#pending.delete(envelope.id);
        clearTimeout(p.timer);
        if (envelope.op === 'result') {
          p.resolve(envelope.result);
        } else {
          p.reject(new BridgeError(envelope.error?.code ?? 'internal', envelope.error?.message ?? ''));
        }
      }
      return;
    }
    if (envelope.op === 'msg' && typeof envelope.seq === 'number') {
      this.#lastSeq = envelope.seq;
    } else if (this.#lastSeq == null && envelope.op === 'msg' && typeof envelope.data?.seq === 'number'
        && envelope.data.type === 'welcome') {
      // a welcome that names the room's latest seq lets a viewer who has seen no message yet recover after a drop
      this.#lastSeq = envelope.data.seq;
    }
    if (envelope.op === 'resync') {
      this.#lastSeq = null;
      this.#handlers.onResync?.();
      return;
    }
    this.#handlers.onMessage(envelope);
  }

  #send(envelope) {
    if (this.connected) {
      this.#ws.send(JSON.stringify(envelope));
    }
  }

  #failPending(code, message) {
    for (const p of this.#pending.values()) {
      clearTimeout(p.timer);
      p.reject(new BridgeError(code, message));
    }
    this.#pending.clear();
  }
}
