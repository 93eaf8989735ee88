// Viewers: how many watch the room right now, over every host app and node (the `presence` topic, twice a second).
import { attachEmitter } from '/sdk/component.js';

const count = document.getElementById('count');
let format = new Intl.NumberFormat(undefined, { notation: 'compact' });

function show(n) {
  if (typeof n === 'number') {
    count.textContent = format.format(n);
    count.dataset.total = String(n);
  }
}

const live = attachEmitter({
  async onInit(ctx) {
    try {
      format = new Intl.NumberFormat(ctx.locale, { notation: 'compact' }); // the host page's language
    } catch {
      // an unknown locale keeps the browser's own
    }
    show((await live.call('room.info')).viewers);
  },
  onMessage(topic, data) {
    if (topic === 'presence') {
      show(data.total);
    }
  },
}, { rpc: true });
