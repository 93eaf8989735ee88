// Comments: the room's comments from every host app as they arrive, and an input to send one. A moderator's deletion
// (a `comment` message of type `deleted`) removes the comment here at once.
import { attachEmitter } from '/sdk/component.js';

/** Comments kept on screen; older ones scroll away for good (the history is the server's, not this list's). */
const MAX_SHOWN = 200;
const list = document.getElementById('list');
const input = document.getElementById('text');
const send = document.getElementById('send');
const note = document.getElementById('note');
let me = null;
let myApp = null;

/** What the viewer reads when a comment is refused, by error code. */
const REFUSALS = {
  unauthorized: 'Sign in to comment.',
  rate_limited: 'Slow down a little.',
  slow_mode: 'Slow mode is on: wait a moment before the next comment.',
  muted: 'You are muted in this room for now.',
  banned: 'You cannot comment in this room.',
  filtered: 'That comment was not posted.',
  forbidden: 'Comments are switched off here.',
  unavailable: 'Not connected; try again in a moment.',
  timeout: 'Not connected; try again in a moment.',
};

function add(c) {
  if (!c?.id || list.querySelector(`[data-id="${CSS.escape(c.id)}"]`)) {
    return; // a reconnect may deliver a comment twice
  }
  const li = document.createElement('li');
  li.dataset.id = c.id;
  const name = document.createElement('b');
  name.textContent = c.user?.name ?? 'viewer';
  li.append(name, document.createTextNode(c.text ?? ''));
  if (c.app && myApp && c.app !== myApp) {
    const via = document.createElement('span');
    via.className = 'via';
    via.textContent = 'another app';
    li.append(via);
  }
  if (me && c.user?.id === me) {
    li.classList.add('mine');
  }
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.append(li);
  while (list.children.length > MAX_SHOWN) {
    list.firstElementChild.remove();
  }
  if (atBottom) {
    list.scrollTop = list.scrollHeight;
  }
}

const live = attachEmitter({
  onInit(ctx) {
    me = ctx.viewer.id;
    myApp = ctx.app.id;
    if (ctx.viewer.anonymous) {
      input.placeholder = 'Sign in to comment';
    }
  },
  onMessage(topic, data) {
    if (topic === 'comment' && data.type === 'deleted') {
      list.querySelector(`[data-id="${CSS.escape(String(data.id))}"]`)?.remove();
    } else if (topic === 'comment') {
      add(data);
    }
  },
}, { rpc: true });

// no <form>: the sandbox (scripts only) blocks form submission, and with it the submit event
async function submit() {
  const text = input.value.trim();
  if (!text) {
    return;
  }
  send.disabled = true;
  note.textContent = '';
  try {
    await live.call('comment.send', { text });
    input.value = '';
  } catch (e) {
    note.textContent = REFUSALS[e.code] ?? 'Not sent (' + e.code + ').';
  } finally {
    send.disabled = false; // no focus() here: it would scroll the host page to this frame
  }
}

send.addEventListener('click', submit);
input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.isComposing) {
    event.preventDefault();
    submit();
  }
});
