// What a component may do, decided from its manifest before anything is forwarded (the server checks again for the
// methods it answers). This table is the documented method -> permission map (docs/components.md "Permissions").

/** Server methods a component may call, and the manifest permission each needs. */
export const SERVER_METHODS = Object.freeze({
  'room.info': 'room:read',
  'room.recordings': 'room:read',
  'comment.send': 'comment:write',
  'like.send': 'like:write',
  'gift.send': 'gift:write',
  'product.current': 'product:read',
  'cart.add': 'cart:write',
  'cart.get': 'cart:write',
  'cart.remove': 'cart:write',
  'order.create': 'order:write',
  'follow': 'room:read',
  'unfollow': 'room:read',
  'follow.status': 'room:read',
});

/** Methods the container answers itself. They need no permission: viewer.info returns the id and display name every
 * component already gets in its init data, storage is the component's own, and host.open / share only ask the host page. */
export const LOCAL_METHODS = Object.freeze(['viewer.info', 'storage.get', 'storage.set', 'storage.remove', 'host.open', 'share']);

/** Room topics that carry more than room state need a read permission on top of being declared. */
export const TOPIC_PERMISSIONS = Object.freeze({
  comment: 'comment:read',
  'product.pin': 'product:read',
});

/** Methods of the API an older server may not offer: `unknown_method` becomes `unavailable`. */
export const NOT_YET_OFFERED = new Set(['room.recordings', 'product.current', 'cart.add', 'cart.get', 'cart.remove', 'order.create', 'follow', 'unfollow', 'follow.status']);

/** Null when the component may call `method`, else the reason it may not. */
export function refuseCall(part, method) {
  if (method === 'topic.emit') {
    return null; // checked per topic by refuseEmit
  }
  if (LOCAL_METHODS.includes(method)) {
    return null;
  }
  if (!Object.hasOwn(SERVER_METHODS, method)) {
    return { code: 'unknown_method', message: 'no method ' + method };
  }
  const needed = SERVER_METHODS[method];
  if (!part.permissions.includes(needed)) {
    return { code: 'forbidden', message: method + ' needs the permission ' + needed + ', which the manifest does not declare' };
  }
  return null;
}

/** Null when the component may emit `topic`: declared under topics.emit (always inside its own id's namespace). */
export function refuseEmit(part, topic) {
  if (typeof topic !== 'string' || !part.emits.includes(topic)) {
    return { code: 'forbidden', message: 'topic ' + topic + ' is not declared under topics.emit' };
  }
  return null;
}

/** Null when the component may receive `topic`: declared under topics.subscribe, plus the read permission for room data. */
export function refuseSubscribe(part, topic) {
  if (typeof topic !== 'string' || !part.subscribes.includes(topic)) {
    return { code: 'forbidden', message: 'topic ' + topic + ' is not declared under topics.subscribe' };
  }
  const needed = TOPIC_PERMISSIONS[topic];
  if (needed && !part.permissions.includes(needed)) {
    return { code: 'forbidden', message: 'topic ' + topic + ' needs the permission ' + needed };
  }
  return null;
}
