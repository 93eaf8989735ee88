// The rooms the key may see (GET /rooms, newest first; a broadcaster sees its own), a page at a time.
import { api } from './api.js';
import { h, show, errorLine } from './dom.js';
import { time } from './format.js';

export function roomsView(view) {
  const list = h('ul', { class: 'rooms', id: 'rooms' });
  const status = h('div', {}, h('p', { class: 'muted', text: 'Loading rooms…' }));
  const more = h('button', { type: 'button', class: 'ghost', text: 'More rooms', hidden: true });
  let cursor = null;
  let gone = false;

  async function page() {
    more.disabled = true;
    try {
      const q = '?limit=50' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : '');
      const res = await api('GET', '/rooms' + q);
      if (gone) return;
      list.append(...res.items.map(row));
      cursor = res.next || null;
      more.hidden = !cursor;
      show(status, list.children.length ? null
        : h('p', { class: 'empty', text: 'No rooms yet. Create one with: openlive room create --title "My show" --apps APP_ID' }));
    } catch (err) {
      if (!gone) show(status, errorLine(err));
    } finally {
      more.disabled = false;
    }
  }
  more.addEventListener('click', page);

  show(view, h('section', { class: 'card' }, h('h1', { text: 'Rooms' }), status, list, more));
  page();
  return () => { gone = true; };
}

function row(room) {
  return h('li', { dataset: { roomId: room.id } },
    h('a', { href: '#/rooms/' + encodeURIComponent(room.id) },
      h('span', { class: 'title', text: room.title }),
      h('span', { class: 'badge ' + room.state, text: room.state }),
      h('span', { class: 'muted small', text: room.id + ' · ' + (room.deliveries || []).length + ' app(s) · created ' + time(room.createdAt) })));
}
