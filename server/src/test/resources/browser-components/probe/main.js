// A third-party component that tries everything it must not be able to do, and records what happened in window.probe
// (the browser test reads it from inside this frame). The platform's origin comes in through its instance config.
import { attachEmitter } from '/sdk/component.js';

const probe = { received: [], lifecycle: [] };
window.probe = probe;

function attempt(name, action) {
  try {
    const value = action();
    probe[name] = 'read: ' + String(value);
  } catch (e) {
    probe[name] = 'blocked: ' + e.name;
  }
}

async function network(name, action) {
  try {
    await action();
    probe[name] = 'reached';
  } catch (e) {
    probe[name] = 'blocked: ' + e.name;
  }
}

function socket(url) {
  return new Promise((resolve, reject) => {
    let ws;
    try {
      ws = new WebSocket(url);
    } catch (e) {
      reject(e);
      return;
    }
    ws.onopen = () => { ws.close(); resolve(); };
    ws.onerror = () => reject(new Error('WebSocket error'));
  });
}

const live = attachEmitter({
  async onInit(ctx) {
    probe.init = JSON.stringify(ctx);
    attempt('cookie', () => document.cookie);
    attempt('localStorage', () => localStorage.getItem('host-storage'));
    attempt('sessionStorage', () => sessionStorage.length);
    attempt('parentDom', () => window.parent.document.getElementById('host-secret').textContent);
    attempt('topDom', () => window.top.document.cookie);
    attempt('parentLocation', () => window.parent.location.href);
    const platform = ctx.config.platform;
    await network('fetchApi', () => fetch(platform + '/api/v1/rooms/' + ctx.room.id + '/apps/' + ctx.app.id + '/container'));
    await network('fetchElsewhere', () => fetch('http://127.0.0.1:9/'));
    await network('webSocketRt', () => socket(platform.replace('http', 'ws') + '/rt?room=' + ctx.room.id + '&app=' + ctx.app.id));
    try {
      // named at run time, as a component hiding it from the submit checks would: the container and the server refuse it
      await live.call(['comment', 'send'].join('.'), { text: 'not allowed' });
      probe.undeclaredCall = 'answered';
    } catch (e) {
      probe.undeclaredCall = e.code;
    }
    try {
      await live.emit('acme.other.topic', {});
      probe.undeclaredEmit = 'answered';
    } catch (e) {
      probe.undeclaredEmit = e.code;
    }
    try {
      await live.subscribe(['gift']);
      probe.undeclaredSubscribe = 'answered';
    } catch (e) {
      probe.undeclaredSubscribe = e.code;
    }
    try {
      probe.roomInfo = JSON.stringify(await live.call('room.info'));
    } catch (e) {
      probe.roomInfo = 'failed: ' + e.code;
    }
    try {
      // a common API the server answers for room:read, through the container: the viewer follows the broadcaster
      probe.follow = JSON.stringify(await live.call('follow'));
    } catch (e) {
      probe.follow = 'failed: ' + e.code;
    }
    try {
      await live.storage.set('greeting', { hi: 1 });
      probe.storageRoundTrip = JSON.stringify(await live.storage.get('greeting'));
    } catch (e) {
      probe.storageRoundTrip = 'failed: ' + e.code;
    }
    try {
      await live.storage.set('big1', 'x'.repeat(9000));
      await live.storage.set('big2', 'x'.repeat(9000));
      probe.storageQuota = 'stored';
    } catch (e) {
      probe.storageQuota = e.code;
    }
    const burst = await Promise.allSettled(Array.from({ length: 40 }, () => live.call('viewer.info')));
    probe.burstAnswered = burst.filter((r) => r.status === 'fulfilled').length;
    probe.burstLimited = burst.filter((r) => r.status === 'rejected' && r.reason.code === 'rate_limited').length;
    probe.done = true;
    document.getElementById('out').textContent = 'probe done';
  },
  onMessage(topic, data) {
    probe.received.push(JSON.stringify({ topic, data }));
  },
  onShow() {
    probe.lifecycle.push('show');
  },
  onHide() {
    probe.lifecycle.push('hide');
  },
}, { rpc: true });
