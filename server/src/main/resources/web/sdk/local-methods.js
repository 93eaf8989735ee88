// The methods the container answers itself, without the server: viewer.info, storage.get/set/remove, host.open, share.
// Storage lives in the host page's localStorage, one JSON object per host app, component id and viewer, so a component
// keeps its data across versions but never reads another component's or another viewer's.

import { BridgeError } from './errors.js';
import { LIMITS } from './limits.js';

const KEY = /^[A-Za-z0-9_.:-]{1,64}$/;
const TARGET = /^[a-z][a-z0-9-]{0,39}$/;

/**
 * @param room the <live-room> element (raises host page events)
 * @param part the component's container part (component id, versionId)
 * @param viewer { id, name, anonymous }
 */
export async function answerLocally(room, part, viewer, method, params) {
  switch (method) {
    case 'viewer.info':
      return { id: viewer.id, name: viewer.name, anonymous: viewer.anonymous };
    case 'storage.get':
      return { value: read(room, part, viewer)[key(params)] ?? null };
    case 'storage.set':
      return storageSet(room, part, viewer, params);
    case 'storage.remove': {
      const all = read(room, part, viewer);
      delete all[key(params)];
      write(room, part, viewer, all);
      return { removed: true };
    }
    case 'host.open':
      return hostOpen(room, part, params);
    case 'share':
      return share(room, part, params);
    default:
      throw new BridgeError('unknown_method', 'no method ' + method);
  }
}

function storageSet(room, part, viewer, params) {
  const k = key(params);
  if (!params || !('value' in params)) {
    throw new BridgeError('bad_params', 'storage.set needs {key, value}');
  }
  const all = read(room, part, viewer);
  all[k] = params.value;
  const size = JSON.stringify(all).length;
  if (size > LIMITS.storageBytes) {
    throw new BridgeError('quota_exceeded', 'component storage would hold ' + size + ' bytes; the limit is ' + LIMITS.storageBytes);
  }
  write(room, part, viewer, all);
  return { stored: true, bytes: size };
}

function hostOpen(room, part, params) {
  const target = params?.target;
  if (typeof target !== 'string' || !TARGET.test(target)) {
    throw new BridgeError('bad_params', 'host.open needs {target} such as "cart", "product" or "login"');
  }
  const detail = { target, params: params.params ?? {}, component: part.component };
  const event = new CustomEvent('open', { detail, cancelable: true, bubbles: true, composed: true });
  room.dispatchEvent(event);
  // a host page that takes care of it calls preventDefault(); the component learns whether anyone did
  return { handled: event.defaultPrevented };
}

async function share(room, part, params) {
  const detail = { text: String(params?.text ?? '').slice(0, 500), url: params?.url ?? null, component: part.component };
  const event = new CustomEvent('share', { detail, cancelable: true, bubbles: true, composed: true });
  room.dispatchEvent(event);
  if (event.defaultPrevented) {
    return { shared: 'host' };
  }
  if (navigator.share) {
    try {
      await navigator.share({ text: detail.text, url: detail.url ?? location.href });
      return { shared: 'system' };
    } catch (e) {
      throw new BridgeError('unavailable', 'sharing was not completed: ' + (e?.name ?? 'cancelled'));
    }
  }
  throw new BridgeError('unavailable', 'this page offers no way to share');
}

function key(params) {
  const k = params?.key;
  if (typeof k !== 'string' || !KEY.test(k)) {
    throw new BridgeError('bad_params', 'key must be 1 to ' + LIMITS.storageKeyChars + ' characters of A-Z a-z 0-9 _ . : -');
  }
  return k;
}

function storageKey(room, part, viewer) {
  return 'openlive.storage.' + room.getAttribute('app') + '.' + part.component + '.' + (viewer.id ?? 'anonymous');
}

function read(room, part, viewer) {
  try {
    const text = localStorage.getItem(storageKey(room, part, viewer));
    const value = text ? JSON.parse(text) : {};
    return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
  } catch (e) {
    if (e instanceof SyntaxError) {
      return {}; // damaged by someone else: start over rather than fail every call
    }
    throw new BridgeError('unavailable', 'this page has no local storage');
  }
}

function write(room, part, viewer, all) {
  try {
    localStorage.setItem(storageKey(room, part, viewer), JSON.stringify(all));
  } catch {
    throw new BridgeError('unavailable', 'this page\'s local storage is full or switched off');
  }
}
