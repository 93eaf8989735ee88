// Likes: a button, hearts rising for every like in the room (from every host app), and the room's total. Taps are
// gathered for a short moment and sent as one like.send with a count, as the server would merge them anyway.
import { attachEmitter } from '/sdk/component.js';

const GATHER_MS = 250;
/** Hearts drawn per like message at most, however many likes it reports. */
const MAX_HEARTS = 8;
const COLORS = ['#ff3d6e', '#ff8a3d', '#ffd23d', '#b06bff', '#3dd6ff'];
const sky = document.getElementById('sky');
const button = document.getElementById('like');
const total = document.getElementById('total');
let mine = 0;
let timer = null;
let shownTotal = 0;

function heart() {
  const h = document.createElement('span');
  h.className = 'heart';
  h.textContent = '♥';
  h.style.color = COLORS[Math.floor(Math.random() * COLORS.length)];
  h.style.left = 14 + Math.random() * 30 + 'px';
  h.style.setProperty('--drift', Math.round(Math.random() * 40 - 20) + 'px');
  h.addEventListener('animationend', () => h.remove());
  sky.append(h);
}

function setTotal(n) {
  if (typeof n === 'number' && n >= shownTotal) {
    shownTotal = n;
    total.textContent = n >= 10_000 ? (n / 1000).toFixed(1) + 'k' : String(n);
    total.dataset.total = String(n);
  }
}

const live = attachEmitter({
  async onInit() {
    setTotal((await live.call('room.info')).likes);
  },
  onMessage(topic, data) {
    if (topic === 'like') {
      setTotal(data.total);
      for (let i = 0; i < Math.min(MAX_HEARTS, data.delta ?? 1); i++) {
        setTimeout(heart, i * 90);
      }
    }
  },
}, { rpc: true });

button.addEventListener('click', () => {
  mine++;
  heart();
  timer ??= setTimeout(async () => {
    const count = Math.min(mine, 100);
    mine = 0;
    timer = null;
    try {
      await live.call('like.send', { count });
    } catch (e) {
      button.title = e.code === 'unauthorized' ? 'Sign in to like' : 'Not sent: ' + e.code;
    }
  }, GATHER_MS);
});
