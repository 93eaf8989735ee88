// The live plugin: the room's badge (live, waiting, ended, or replay while the container plays a recording) and title
// over the picture. The player itself belongs to the container; this plugin is what an instance wraps around it.
import { attachEmitter } from '/sdk/component.js';

const badge = document.getElementById('badge');
const stateText = document.getElementById('state');
const title = document.getElementById('title');
const LABEL = { live: 'LIVE', scheduled: 'SOON', ended: 'ENDED', replay: 'REPLAY' };
/** Set when the container plays one of the room's recordings: the picture is the replay, whatever the room does now. */
let replaying = false;

function show(state) {
  const shown = replaying ? 'replay' : state;
  stateText.textContent = LABEL[shown] ?? 'LIVE';
  badge.classList.toggle('off', shown !== 'live');
}

const live = attachEmitter({
  async onInit(ctx) {
    replaying = !!ctx.replay;
    show(ctx.room.state);
    title.textContent = ctx.room.title ?? '';
    const info = await live.call('room.info');
    title.textContent = info.room.title;
    show(info.room.state);
  },
  onMessage(topic, data) {
    if (topic === 'system' && (data.type === 'live' || data.type === 'ended')) {
      show(data.type);
    }
  },
}, { rpc: true });
