// One component running in its own sandboxed iframe, and its end of the emitter bridge: a MessageChannel handed over
// on load, carrying the realtime envelope. Every envelope the component sends is checked here against its manifest and
// its limits before anything reaches the server; nothing the component does (throw, flood, never answer) can block
// the page, because the container never waits for a component.

import { BridgeError } from './errors.js';
import { LIMITS } from './limits.js';
import { TokenBucket } from './rate-limit.js';
import { LOCAL_METHODS, refuseCall, refuseEmit, refuseSubscribe } from './permissions.js';

const REFUSAL_WINDOW_MS = 10_000;
/** How long a destroyed frame stays in the page so its onDestroy can run before the iframe goes. */
const DESTROY_GRACE_MS = 200;

export class ComponentFrame {
  #part;
  #host;
  #iframe = null;
  #port = null;
  #connected = false;
  #visible = false;
  #destroyed = false;
  #topics = new Set();
  #pending = 0;
  #calls = new TokenBucket(LIMITS.callsPerSecond, LIMITS.callBurst);
  #emits = new TokenBucket(LIMITS.emitsPerSecond, LIMITS.emitBurst);
  #messages = new TokenBucket(LIMITS.messagesPerSecond, LIMITS.messageBurst);
  #skipped = 0;
  #refusals = [];

  /**
   * @param part the container document's part: versionId, component, version, slot, config, url, permissions,
   *             subscribes, emits, width, height
   * @param host { initData(part) → Promise<object>, serverCall(part, method, params) → Promise,
   *               localCall(part, method, params) → Promise, subscribe(topics), misbehaving(part, reason) }
   */
  constructor(part, host) {
    this.#part = part;
    this.#host = host;
  }

  get part() {
    return this.#part;
  }

  get element() {
    return this.#iframe;
  }

  /** Creates the iframe; call once, then insert `element` into its slot. */
  create(size) {
    const f = document.createElement('iframe');
    // scripts only: no same-origin (it would hand the frame its origin's storage), no forms, popups or top navigation
    f.setAttribute('sandbox', 'allow-scripts');
    f.setAttribute('allow', '');
    f.setAttribute('referrerpolicy', 'no-referrer');
    f.setAttribute('title', this.#part.component);
    f.dataset.component = this.#part.component;
    f.dataset.version = this.#part.versionId;
    f.className = 'component';
    if (size.width) {
      f.style.width = size.width + 'px';
    }
    f.style.height = size.height + 'px';
    let loads = 0;
    f.addEventListener('load', () => {
      // only the first document gets a port: a frame that navigates itself elsewhere loses the bridge
      if (loads++ === 0) {
        this.#connect();
      } else {
        this.#disconnect();
      }
    });
    f.src = this.#part.url;
    this.#iframe = f;
    return f;
  }

  /** Visible when its slot is on screen and the page is in the foreground. */
  setVisible(visible) {
    if (visible === this.#visible) {
      return;
    }
    this.#visible = visible;
    if (this.#connected) {
      this.#post({ op: 'lifecycle', type: visible ? 'show' : 'hide', data: {} });
    }
  }

  /** Whether this component asked for (and may have) `topic`. */
  wants(topic) {
    return this.#topics.has(topic);
  }

  /** A room message for this component; over its message rate it is dropped and counted. */
  deliver(envelope) {
    if (!this.#connected || !this.#topics.has(envelope.topic)) {
      return;
    }
    if (!this.#messages.tryTake()) {
      this.#skipped++;
      return;
    }
    if (this.#skipped) {
      this.#post({ op: 'skipped', topic: '*', count: this.#skipped });
      this.#skipped = 0;
    }
    this.#post({ op: 'msg', topic: envelope.topic, seq: envelope.seq, mt: envelope.mt, data: envelope.data });
  }

  /** Messages of `topic` ('*': any) the server left out; told to a component that wants them. */
  skipped(topic, count) {
    if (this.#connected && (topic === '*' || this.#topics.has(topic))) {
      this.#post({ op: 'skipped', topic, count });
    }
  }

  /** Tells the component it is going (revoked, rebound, room ended), then removes its frame. */
  destroy(reason) {
    if (this.#destroyed) {
      return;
    }
    this.#destroyed = true;
    if (this.#connected) {
      this.#post({ op: 'lifecycle', type: 'destroy', data: { reason } });
    }
    const f = this.#iframe;
    setTimeout(() => {
      this.#disconnect();
      f?.remove();
    }, DESTROY_GRACE_MS);
    if (f) {
      f.style.visibility = 'hidden'; // gone for the viewer at once
    }
  }

  async #connect() {
    if (this.#destroyed) {
      return;
    }
    const channel = new MessageChannel();
    this.#port = channel.port1;
    this.#port.onmessage = (event) => this.#receive(event.data);
    // the sandboxed document has an opaque origin, which no targetOrigin but '*' matches; the message goes to this
    // iframe's own window, and the port it carries grants only this component's manifest
    this.#iframe.contentWindow.postMessage({ openlive: 'connect', v: 1 }, '*', [channel.port2]);
    this.#connected = true;
    const auto = this.#part.subscribes.filter((t) => !refuseSubscribe(this.#part, t));
    auto.forEach((t) => this.#topics.add(t));
    this.#host.subscribe(auto);
    let init;
    try {
      init = await this.#host.initData(this.#part);
    } catch {
      return;
    }
    this.#post({ op: 'lifecycle', type: 'init', data: init });
    // when each component got its init, from navigation start, for benchmarks (bench's browser mode) and monitoring
    performance.mark('openlive:init:' + this.#part.component);
    if (this.#visible) {
      this.#post({ op: 'lifecycle', type: 'show', data: {} });
    }
  }

  #disconnect() {
    this.#connected = false;
    if (this.#port) {
      this.#port.onmessage = null;
      this.#port.close();
      this.#port = null;
    }
  }

  #receive(envelope) {
    if (this.#destroyed) {
      return;
    }
    let size;
    try {
      size = JSON.stringify(envelope)?.length ?? 0;
    } catch {
      size = Infinity; // cyclic or not JSON at all
    }
    const id = Number.isInteger(envelope?.id) && envelope.id > 0 ? envelope.id : 0;
    if (size > LIMITS.maxEnvelopeBytes) {
      this.#refuse(id, 'too_large', 'an envelope is at most ' + LIMITS.maxEnvelopeBytes + ' bytes of JSON');
      return;
    }
    switch (envelope?.op) {
      case 'call':
        this.#call(id, envelope.method, envelope.params ?? {});
        break;
      case 'sub':
      case 'unsub':
        this.#subscription(id, envelope.op, envelope.topics);
        break;
      default:
        this.#refuse(id, 'unknown_op', 'op must be call, sub or unsub');
    }
  }

  #call(id, method, params) {
    if (!id || typeof method !== 'string') {
      this.#refuse(id, 'bad_envelope', 'a call needs a positive integer id and a method name');
      return;
    }
    if (typeof params !== 'object' || Array.isArray(params)) {
      this.#refuse(id, 'bad_params', 'params must be an object');
      return;
    }
    const refused = method === 'topic.emit' ? refuseEmit(this.#part, params.topic) : refuseCall(this.#part, method);
    if (refused) {
      this.#refuse(id, refused.code, refused.message);
      return;
    }
    if (!this.#calls.tryTake() || (method === 'topic.emit' && !this.#emits.tryTake())) {
      this.#refuse(id, 'rate_limited', method === 'topic.emit'
        ? 'more than ' + LIMITS.emitsPerSecond + ' emits per second'
        : 'more than ' + LIMITS.callsPerSecond + ' calls per second');
      return;
    }
    if (this.#pending >= LIMITS.maxPendingCalls) {
      this.#refuse(id, 'rate_limited', 'more than ' + LIMITS.maxPendingCalls + ' calls waiting for an answer');
      return;
    }
    this.#pending++;
    const answer = LOCAL_METHODS.includes(method)
      ? this.#host.localCall(this.#part, method, params)
      : this.#host.serverCall(this.#part, method, params);
    Promise.resolve(answer).then(
      (result) => this.#post({ id, op: 'result', result: result ?? null }),
      (e) => this.#post({ id, op: 'error', error: errorOf(e) }),
    ).finally(() => { this.#pending--; });
  }

  #subscription(id, op, topics) {
    if (!Array.isArray(topics) || !topics.every((t) => typeof t === 'string')) {
      this.#refuse(id, 'bad_envelope', 'topics must be an array of topic names');
      return;
    }
    if (op === 'unsub') {
      topics.forEach((t) => this.#topics.delete(t));
    } else {
      const refused = topics.map((t) => refuseSubscribe(this.#part, t)).find(Boolean);
      if (refused) {
        this.#refuse(id, refused.code, refused.message);
        return;
      }
      topics.forEach((t) => this.#topics.add(t));
      this.#host.subscribe(topics);
    }
    if (id) {
      this.#post({ id, op: 'result', result: { topics: [...this.#topics] } });
    }
  }

  #refuse(id, code, message) {
    this.#post({ id: id || undefined, op: 'error', error: { code, message } });
    const now = performance.now();
    this.#refusals = this.#refusals.filter((t) => now - t < REFUSAL_WINDOW_MS);
    this.#refusals.push(now);
    if (this.#refusals.length > LIMITS.maxRefusals) {
      this.#host.misbehaving(this.#part, 'more than ' + LIMITS.maxRefusals + ' refused envelopes in 10 s');
    }
  }

  #post(envelope) {
    try {
      this.#port?.postMessage(envelope);
    } catch {
      // data that cannot be cloned is the server's or the host's to fix, never a reason to stop the bridge
    }
  }
}

function errorOf(e) {
  if (e instanceof BridgeError) {
    return { code: e.code, message: e.message };
  }
  return { code: 'internal', message: 'the container failed to answer' };
}
