// Recording (/rooms/{id}/recording and /recordings): whether the room is recorded whenever it is live, and its files.
// A finished recording replays as HLS without a key (its id is unguessable); the MP4 itself needs the key, so it is
// fetched with it and saved from memory rather than linked.
import { api, seg, ApiError } from './api.js';
import { apiKey } from './session.js';
import { h, show, errorLine, action, busy } from './dom.js';
import { bytes, time, duration } from './format.js';
import { confirmAction } from './restreams.js';

export function recordingSection(roomId) {
  const base = '/rooms/' + seg(roomId);
  const messages = h('div', {});
  const state = h('span', { class: 'small', id: 'recording-state' });
  const toggle = h('button', { type: 'button', id: 'recording-toggle', disabled: true, text: '…' });
  const list = h('div', { id: 'recordings' }, h('p', { class: 'muted', text: 'Loading recordings…' }));
  const element = h('section', { class: 'card', id: 'recording' },
    h('div', { class: 'section-head' }, h('h2', { text: 'Recording' }), state, toggle), messages, list);
  let enabled = false;

  toggle.addEventListener('click', () => busy(toggle, async () => {
    await api('PUT', base + '/recording', { enabled: !enabled });
    await refresh();
  }, messages));

  async function refresh() {
    try {
      const res = await api('GET', base + '/recordings');
      enabled = res.enabled;
      state.textContent = enabled ? 'On: recorded whenever live' : 'Off';
      state.className = 'small ' + (enabled ? 'on' : 'off');
      toggle.textContent = enabled ? 'Stop recording' : 'Record this room';
      toggle.disabled = false;
      render(res.items);
    } catch (err) {
      show(list, errorLine(err));
    }
  }

  function render(items) {
    if (!items.length) {
      show(list, h('p', { class: 'empty', text: enabled ? 'Recording starts when the room goes live.' : 'No recordings.' }));
      return;
    }
    show(list, h('ul', { class: 'items' }, items.map((r) => h('li', { dataset: { recordingId: r.id, status: r.status } },
      h('div', { class: 'item-main' },
        h('span', { text: time(r.startedAt) }),
        h('span', { class: 'muted small', text: (r.endedAt ? duration(Date.parse(r.endedAt) - Date.parse(r.startedAt)) + ' · ' : '')
          + bytes(r.bytes) + (r.reason ? ' · ' + r.reason : '') })),
      h('div', { class: 'item-status' }, h('span', { class: 'badge ' + r.status, text: r.status })),
      h('div', { class: 'item-actions' },
        r.status === 'done' ? h('a', { class: 'button ghost', href: '/recordings/' + seg(roomId) + '/' + seg(r.id) + '.m3u8', target: '_blank', rel: 'noopener', text: 'Replay (HLS)' }) : null,
        r.status === 'done' ? action('Download MP4', () => download(roomId, r.id), messages, 'ghost') : null,
        r.status === 'recording' || r.status === 'finalising' ? null
          : confirmAction('Delete', () => api('DELETE', base + '/recordings/' + seg(r.id)).then(refresh), messages))))));
  }

  return { element, refresh };
}

async function download(roomId, id) {
  const res = await fetch('/recordings/' + seg(roomId) + '/' + seg(id) + '.mp4', {
    headers: { Authorization: 'Bearer ' + apiKey() }, cache: 'no-store', credentials: 'omit',
  });
  if (!res.ok) {
    const e = await res.json().catch(() => ({})).then((j) => j.error || {});
    throw new ApiError(res.status, e.code || 'HTTP_' + res.status, e.message || 'download failed');
  }
  const url = URL.createObjectURL(await res.blob());
  const a = h('a', { href: url, download: id + '.mp4' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
