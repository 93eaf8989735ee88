// What both demo host apps do as a real host app's page would: ask their backend (here the demo routes, which exist
// only in demo mode) for the room and for a viewer token, and hand <live-room> a token provider. The demo viewer keeps
// one id per app in this browser, so a reload is the same viewer.

/** { room, apps: { shop, pay }, componentOrigin } */
export async function demoConfig() {
  const res = await fetch('/demo/api/config');
  if (!res.ok) {
    throw new Error('demo mode is off on this server (GET /demo/api/config answered ' + res.status + ')');
  }
  return res.json();
}

/** A token provider for <live-room>: each call signs a fresh 10-minute token for the same demo viewer. */
export function tokenProvider(app, onViewer) {
  const key = 'openlive.demo.viewer.' + app;
  return async () => {
    const id = localStorage.getItem(key);
    const url = new URL('/demo/api/token', location.origin);
    url.searchParams.set('app', app);
    if (id) {
      url.searchParams.set('id', id);
    }
    const res = await fetch(url, { cache: 'no-store' });
    if (!res.ok) {
      throw new Error('no demo token (' + res.status + ')');
    }
    const body = await res.json();
    localStorage.setItem(key, body.viewer.id);
    onViewer?.(body.viewer);
    return body.token;
  };
}

/** Creates <live-room> for the demo room in `app` inside `parent`, wired to the demo backend. */
export async function mountDemoRoom(parent, app, onViewer) {
  const config = await demoConfig();
  const room = document.createElement('live-room');
  room.setAttribute('room', config.room);
  room.setAttribute('app', config.apps[app]);
  // ?playback=hls (or flv) to try the other player on the demo pages; the element's own default is auto
  const playback = new URLSearchParams(location.search).get('playback');
  if (playback) {
    room.setAttribute('playback', playback);
  }
  room.tokenProvider = tokenProvider(app, onViewer);
  parent.append(room);
  return room;
}

/** A short message at the bottom of the page. */
export function toast(text) {
  const t = document.createElement('div');
  t.className = 'toast';
  t.setAttribute('role', 'status');
  t.textContent = text;
  document.body.append(t);
  setTimeout(() => t.remove(), 3200);
}
