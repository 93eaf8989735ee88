// A misbehaving component: its handlers throw, it floods the bridge with calls it may not make, and then it never
// yields its thread again. The container and the other components must carry on.
import { attachEmitter } from '/sdk/component.js';

const emitter = attachEmitter({
  onInit() {
    setTimeout(() => {
      throw new Error('chaos: an uncaught error');
    }, 0);
    // far past the call rate and the refusal limit
    for (let i = 0; i < 5000; i++) {
      emitter.call('comment.send', { text: 'flood ' + i }).catch(() => {});
    }
    setTimeout(() => {
      const until = Date.now() + 60_000;
      while (Date.now() < until) {
        // a frame that never answers anything again
      }
    }, 500);
    throw new Error('chaos: onInit throws');
  },
  onMessage() {
    throw new Error('chaos: onMessage throws');
  },
}, { rpc: true });
