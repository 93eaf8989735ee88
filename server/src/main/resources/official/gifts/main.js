// Gifts: three gifts to send, and a ticker of the latest gift anyone sent in the room, from any host app.
import { attachEmitter } from '/sdk/component.js';

const NAMES = { rose: 'a rose', rocket: 'a rocket', crown: 'a crown' };
const ticker = document.getElementById('ticker');

function show(g) {
  const line = document.createElement('span');
  line.className = 'gift';
  const name = document.createElement('b');
  name.textContent = g.user?.name ?? 'Someone';
  line.append(name, document.createTextNode(' sent ' + (NAMES[g.gift] ?? 'a gift') + (g.count > 1 ? ' ×' + g.count : '')));
  ticker.replaceChildren(line);
}

const live = attachEmitter({
  onInit(ctx) {
    ticker.textContent = ctx.viewer.anonymous ? 'Sign in to send gifts' : 'Send the host a gift';
  },
  onMessage(topic, data) {
    if (topic === 'gift') {
      show(data);
    }
  },
}, { rpc: true });

document.querySelectorAll('button[data-gift]').forEach((b) => b.addEventListener('click', async () => {
  b.disabled = true;
  try {
    await live.call('gift.send', { gift: b.dataset.gift, count: 1 });
  } catch (e) {
    ticker.textContent = e.code === 'unauthorized' ? 'Sign in to send gifts' : 'Gift not sent (' + e.code + ')';
  } finally {
    b.disabled = false;
  }
}));
