// The component SDK (docs/components.md). A component runs in a sandboxed iframe on the component origin and reaches
// the room only through the emitter bridge: a MessagePort its container hands over when the frame loads. This file is
// self-contained (the component origin serves it alone) and is the whole public API:
//
//   import { attachEmitter } from '/sdk/component.js';
//   const live = attachEmitter({ onInit(ctx) {}, onMessage(topic, data, meta) {} }, { rpc: true });
//   const info = await live.call('room.info');
//
// Handlers run inside try/catch: a handler that throws is logged to this frame's console and the bridge carries on.

/** Default time a call waits for its answer before it fails with `timeout` (the container's own limit is 10 s). */
export const DEFAULT_TIMEOUT_MS = 12_000;

/** A failed call: `code` is one of forbidden, rate_limited, unavailable, timeout, bad_params, … (docs/components.md "Errors"). */
export class EmitterError extends Error {
  constructor(code, message) {
    super(message || code);
    this.name = 'EmitterError';
    this.code = code;
  }
}

/**
 * Connects this component to its container.
 *
 * @param handlers { onInit(ctx), onShow(), onHide(), onMessage(topic, data, meta), onDestroy(data), onSkipped(count) }
 * @param options { rpc: true (calls allowed; default), timeoutMs }
 * @returns { call, emit, subscribe, unsubscribe, storage, ready, context }
 */
export function attachEmitter(handlers = {}, options = {}) {
  const rpc = options.rpc !== false;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pending = new Map();
  const outbox = [];
  let port = null;
  let nextId = 1;
  let context = null;
  let destroyed = false;
  let resolveReady;
  const ready = new Promise((resolve) => { resolveReady = resolve; });

  function onConnect(event) {
    // only the parent's first connect counts: nothing else in this frame's window can hand over a second bridge
    if (port || event.source !== window.parent || event.data?.openlive !== 'connect' || !event.ports?.[0]) {
      return;
    }
    window.removeEventListener('message', onConnect);
    port = event.ports[0];
    port.onmessage = (e) => receive(e.data);
    outbox.splice(0).forEach((envelope) => port.postMessage(envelope));
  }
  window.addEventListener('message', onConnect);

  function receive(envelope) {
    if (!envelope || typeof envelope !== 'object') {
      return;
    }
    switch (envelope.op) {
      case 'result':
      case 'error':
        settle(envelope);
        break;
      case 'msg':
        run('onMessage', envelope.topic, envelope.data, { seq: envelope.seq, mt: envelope.mt });
        break;
      case 'skipped':
        run('onSkipped', envelope.count, envelope.topic);
        break;
      case 'lifecycle':
        lifecycle(envelope.type, envelope.data ?? {});
        break;
      default:
    }
  }

  function lifecycle(type, data) {
    if (type === 'init') {
      context = Object.freeze(data);
      run('onInit', context);
      resolveReady(context);
    } else if (type === 'show') {
      run('onShow');
    } else if (type === 'hide') {
      run('onHide');
    } else if (type === 'destroy') {
      destroyed = true;
      run('onDestroy', data);
      fail('unavailable', 'the component was unmounted (' + (data.reason ?? 'destroyed') + ')');
    }
  }

  function settle(envelope) {
    const p = pending.get(envelope.id);
    if (!p) {
      if (envelope.op === 'error') {
        console.warn('openlive: refused:', envelope.error?.code, envelope.error?.message);
      }
      return;
    }
    pending.delete(envelope.id);
    clearTimeout(p.timer);
    if (envelope.op === 'result') {
      p.resolve(envelope.result);
    } else {
      p.reject(new EmitterError(envelope.error?.code ?? 'internal', envelope.error?.message));
    }
  }

  function run(name, ...args) {
    const handler = handlers[name];
    if (typeof handler !== 'function') {
      return;
    }
    try {
      const r = handler(...args);
      if (r && typeof r.catch === 'function') {
        r.catch((e) => console.error('openlive: ' + name + ' failed', e));
      }
    } catch (e) {
      console.error('openlive: ' + name + ' failed', e);
    }
  }

  function send(envelope) {
    if (port) {
      port.postMessage(envelope);
    } else {
      outbox.push(envelope); // before the container connects: sent on connect, in order
    }
  }

  function request(envelope) {
    if (destroyed) {
      return Promise.reject(new EmitterError('unavailable', 'the component was unmounted'));
    }
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new EmitterError('timeout', (envelope.method ?? envelope.op) + ' was not answered within ' + timeoutMs + ' ms'));
      }, timeoutMs);
      pending.set(id, { resolve, reject, timer });
      send({ ...envelope, id });
    });
  }

  function fail(code, message) {
    for (const p of pending.values()) {
      clearTimeout(p.timer);
      p.reject(new EmitterError(code, message));
    }
    pending.clear();
  }

  /** Calls a method (room.info, comment.send, storage.get, …); resolves with its result or rejects with an EmitterError. */
  function call(method, params = {}) {
    if (!rpc) {
      return Promise.reject(new EmitterError('unavailable', 'attachEmitter was called with { rpc: false }'));
    }
    return request({ op: 'call', method, params });
  }

  return Object.freeze({
    call,
    /** Publishes on one of this component's own topics (declared under topics.emit); `sync` holds it for the picture. */
    emit: (topic, data, { sync = false } = {}) => call('topic.emit', sync ? { topic, data, sync: true } : { topic, data }),
    /** Adds topics declared under topics.subscribe (all of them are subscribed at start). */
    subscribe: (topics) => request({ op: 'sub', topics: [].concat(topics) }),
    unsubscribe: (topics) => request({ op: 'unsub', topics: [].concat(topics) }),
    /** Small storage of this component for this viewer (16 KiB); values are JSON. */
    storage: Object.freeze({
      get: async (key) => (await call('storage.get', { key })).value,
      set: (key, value) => call('storage.set', { key, value }),
      remove: (key) => call('storage.remove', { key }),
    }),
    /** Resolves with the init context (also given to onInit). */
    ready,
    get context() {
      return context;
    },
  });
}
