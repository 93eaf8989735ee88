// One room: its analytics, restream destinations and recording. The sections refresh together every 10 s while the tab
// is visible (a hidden tab asks nothing), and at once when it becomes visible again.
import { api, seg } from './api.js';
import { h, show, errorLine } from './dom.js';
import { analyticsSection } from './analytics.js';
import { restreamsSection } from './restreams.js';
import { recordingSection } from './recording.js';

const REFRESH_MILLIS = 10_000;

export function roomView(view, roomId) {
  const head = h('div', { class: 'room-head' }, h('p', { class: 'muted', text: 'Loading the room…' }));
  show(view, h('p', {}, h('a', { href: '#/rooms', text: '← Rooms' })), head);
  let sections = [];
  let timer = null;
  let gone = false;

  const refresh = () => {
    if (document.visibilityState === 'visible') sections.forEach((s) => s.refresh());
  };
  const onVisibility = () => refresh();

  api('GET', '/rooms/' + seg(roomId)).then((room) => {
    if (gone) return;
    const now = h('button', { type: 'button', class: 'ghost', id: 'refresh', text: 'Refresh' });
    now.addEventListener('click', () => sections.forEach((s) => s.refresh()));
    show(head, h('div', { class: 'section-head' }, h('h1', { id: 'room-title', text: room.title }), now),
      h('p', { class: 'muted small' }, h('span', { class: 'badge ' + room.state, text: room.state }), ' ', room.id));
    sections = [analyticsSection(roomId), restreamsSection(roomId), recordingSection(roomId)];
    view.append(...sections.map((s) => s.element));
    refresh();
    timer = setInterval(refresh, REFRESH_MILLIS);
    document.addEventListener('visibilitychange', onVisibility);
  }, (err) => {
    if (!gone) show(head, errorLine(err));
  });

  return () => {
    gone = true;
    clearInterval(timer);
    document.removeEventListener('visibilitychange', onVisibility);
    sections.forEach((s) => s.destroy && s.destroy());
  };
}
