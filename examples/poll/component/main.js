// A poll any viewer can start and everyone in the room answers, in every host app that binds it. Built only on the
// public component SDK: the poll and the votes travel on this component's own topics, and the opening is emitted with
// `sync: true`, so every viewer sees the question when the moment it was asked plays, whatever their latency.
import { attachEmitter } from '/sdk/component.js';

const ask = document.getElementById('ask');
const pollView = document.getElementById('poll');
const title = document.getElementById('title');
const answers = document.getElementById('answers');
const note = document.getElementById('note');
let poll = null;            // { id, question, options }
let votes = new Map();      // viewer id -> option index (a viewer's latest vote counts)
let me = null;

function render() {
  ask.hidden = !!poll;
  pollView.hidden = !poll;
  if (!poll) {
    return;
  }
  title.textContent = poll.question;
  const counts = poll.options.map((_, i) => [...votes.values()].filter((v) => v === i).length);
  const total = counts.reduce((a, b) => a + b, 0);
  answers.replaceChildren(...poll.options.map((text, i) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'answer' + (votes.get(me) === i ? ' mine' : '');
    const bar = document.createElement('div');
    bar.className = 'bar';
    bar.style.width = total ? Math.round((100 * counts[i]) / total) + '%' : '0';
    const label = document.createElement('span');
    label.textContent = text + (total ? ' · ' + Math.round((100 * counts[i]) / total) + '%' : '');
    b.append(bar, label);
    b.addEventListener('click', () => vote(i));
    return b;
  }));
  note.textContent = total + (total === 1 ? ' vote' : ' votes');
}

async function vote(option) {
  try {
    await live.emit('example.poll.vote', { poll: poll.id, option });
    await live.storage.set('voted:' + poll.id, option);
  } catch (e) {
    note.textContent = e.code === 'unauthorized' ? 'Sign in to vote.' : 'Vote not sent (' + e.code + ').';
  }
}

const live = attachEmitter({
  onInit(ctx) {
    me = ctx.viewer.id;
  },
  async onMessage(topic, data) {
    // component topics arrive as { app, user: { id, name }, data }
    const payload = data?.data ?? {};
    if (topic === 'example.poll.open' && typeof payload.question === 'string' && Array.isArray(payload.options)) {
      poll = { id: String(payload.id), question: payload.question, options: payload.options.map(String).slice(0, 6) };
      votes = new Map();
      const mine = await live.storage.get('voted:' + poll.id).catch(() => null);
      if (typeof mine === 'number') {
        votes.set(me, mine);
      }
    } else if (topic === 'example.poll.vote' && poll && payload.poll === poll.id && Number.isInteger(payload.option)) {
      votes.set(data.user?.id, payload.option);
    }
    render();
  },
}, { rpc: true });

document.getElementById('start').addEventListener('click', async () => {
  const question = document.getElementById('question').value.trim();
  const options = document.getElementById('options').value.split(',').map((s) => s.trim()).filter(Boolean).slice(0, 6);
  if (!question || options.length < 2) {
    return;
  }
  const id = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
  try {
    await live.emit('example.poll.open', { id, question, options }, { sync: true });
  } catch (e) {
    note.textContent = 'Poll not started (' + e.code + ').';
  }
});
