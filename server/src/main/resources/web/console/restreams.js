// Outside RTMP/RTMPS destinations the room is pushed to while live (/rooms/{id}/restreams): their state as the server
// last saw it, and add, start, stop, delete. A destination's stream key is sent once and only ever shown back masked
// by the API; the console clears it from the form as soon as it is sent.
import { api, seg } from './api.js';
import { h, show, errorLine, action, busy } from './dom.js';
import { bytes, number } from './format.js';

export function restreamsSection(roomId) {
  const base = '/rooms/' + seg(roomId) + '/restreams';
  const messages = h('div', { id: 'restream-messages' });
  const list = h('div', { id: 'restreams' }, h('p', { class: 'muted', text: 'Loading destinations…' }));
  const url = h('input', { id: 'restream-url', type: 'url', required: true, placeholder: 'rtmp://ingest.example.com/live', 'aria-label': 'Destination URL' });
  const key = h('input', { id: 'restream-key', type: 'password', required: true, autocomplete: 'off', placeholder: 'Stream key', 'aria-label': 'Stream key' });
  const enabled = h('input', { id: 'restream-enabled', type: 'checkbox', checked: true });
  const add = h('button', { type: 'submit', text: 'Add destination' });
  const form = h('form', { class: 'inline-form', id: 'restream-form' },
    url, key, h('label', { class: 'check' }, enabled, ' Push while live'), add);
  const element = h('section', { class: 'card', id: 'restreaming' },
    h('div', { class: 'section-head' }, h('h2', { text: 'Restream destinations' })), messages, list, form);

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(add, async () => {
      await api('POST', base, { url: url.value.trim(), key: key.value, enabled: enabled.checked });
      key.value = '';
      url.value = '';
      await refresh();
    }, messages);
  });

  async function refresh() {
    try {
      const res = await api('GET', base);
      render(res.items);
    } catch (err) {
      show(list, errorLine(err));
    }
  }

  function render(items) {
    if (!items.length) {
      show(list, h('p', { class: 'empty', text: 'No destinations. Add one below to push this room to another platform while it is live.' }));
      return;
    }
    show(list, h('ul', { class: 'items' }, items.map((r) => h('li', { dataset: { restreamId: r.id, state: r.state } },
      h('div', { class: 'item-main' },
        h('span', { class: 'url', text: r.url }),
        h('span', { class: 'muted small', text: 'key ' + r.key })),
      h('div', { class: 'item-status' },
        h('span', { class: 'badge ' + r.state, text: r.state }),
        h('span', { class: 'small', text: (r.enabled ? 'enabled' : 'disabled') + ' · ' + bytes(r.bytesSent) + ' sent · '
          + number(r.reconnects) + (r.reconnects === 1 ? ' reconnect' : ' reconnects') }),
        r.lastError ? h('span', { class: 'error small', text: 'Last error: ' + r.lastError }) : null),
      h('div', { class: 'item-actions' },
        r.enabled
          ? action('Stop', () => api('POST', base + '/' + seg(r.id) + '/stop').then(refresh), messages)
          : action('Start', () => api('POST', base + '/' + seg(r.id) + '/start').then(refresh), messages),
        confirmAction('Delete', () => api('DELETE', base + '/' + seg(r.id)).then(refresh), messages))))));
  }

  return { element, refresh };
}

/** A destructive button that asks once more by changing its own label, instead of a modal dialog. */
export function confirmAction(label, run, messages) {
  const b = action(label, async () => {
    if (b.dataset.armed !== 'yes') {
      b.dataset.armed = 'yes';
      b.textContent = 'Confirm ' + label.toLowerCase();
      setTimeout(() => { b.dataset.armed = ''; b.textContent = label; }, 5000);
      return;
    }
    await run();
  }, messages, 'danger');
  return b;
}
