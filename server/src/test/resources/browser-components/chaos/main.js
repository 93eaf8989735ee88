// A misbehaving component: its handlers throw, it floods the bridge with calls it may not make, and it never answers
// (its onInit never settles). With config.spin it then also blocks its thread for a minute.
import { attachEmitter } from '/sdk/component.js';

const emitter = attachEmitter({
  onInit(ctx) {
    setTimeout(() => {
      throw new Error('chaos: an uncaught error');
    }, 0);
    if (ctx.config.spin) {
      setTimeout(() => {
        const until = Date.now() + 60_000;
        while (Date.now() < until) {
          // blocks this frame's thread
        }
      }, 0);
      return new Promise(() => {});
    }
    // far past the call rate and the refusal limit
    for (let i = 0; i < 5000; i++) {
      emitter.call(['comment', 'send'].join('.'), { text: 'flood ' + i }).catch(() => {}); // named at run time: past the submit checks
    }
    return new Promise(() => {}); // never settles
  },
  onMessage() {
    throw new Error('chaos: onMessage throws');
  },
}, { rpc: true });
