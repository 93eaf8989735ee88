// A bare host page for the browser tests: <live-room> with the room, app and token from the fragment, every host page
// event recorded in window.events, and secrets (a cookie, localStorage, a DOM node) a component must never reach.
import '/sdk/live-room.js';

const params = new URLSearchParams(location.hash.slice(1));
document.cookie = 'host_session=host-cookie-secret; path=/';
localStorage.setItem('host-storage', 'host-storage-secret');
window.events = [];
const room = document.createElement('live-room');
room.setAttribute('room', params.get('room'));
room.setAttribute('app', params.get('app'));
if (params.get('buffer')) {
  room.setAttribute('buffer', params.get('buffer'));
}
if (params.get('playback')) {
  room.setAttribute('playback', params.get('playback'));
}
if (params.has('replay')) {
  room.setAttribute('replay', params.get('replay'));
}
if (params.get('token')) {
  room.setAttribute('token', params.get('token'));
}
if (params.get('tokens')) {
  // provider mode: each call hands out the next token of the list (the last one again when the list runs out)
  const tokens = params.get('tokens').split(',');
  window.providerCalls = 0;
  room.tokenProvider = async () => tokens[Math.min(window.providerCalls++, tokens.length - 1)];
}
for (const type of ['state', 'viewers', 'open', 'share', 'error']) {
  room.addEventListener(type, (e) => window.events.push({ type, detail: e.detail, at: Date.now() }));
}
// a host app with its own cart: record each add-to-cart (respond is a function, so it is kept apart) and, with
// `cart=accept|refuse` in the fragment, answer it as the host's cart would
window.hostCart = [];
room.addEventListener('add-to-cart', (e) => {
  const { respond, ...detail } = e.detail;
  window.hostCart.push({ ...detail, respondIsFunction: typeof respond === 'function' });
  if (params.get('cart') === 'accept') {
    respond({ ok: true });
  } else if (params.get('cart') === 'refuse') {
    respond({ ok: false, reason: 'host cart full' });
  }
});
document.body.append(room);
window.room = room;
