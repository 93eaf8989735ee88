// A token bucket: `rate` tokens a second, holding at most `burst`. Used per component for calls, emits and delivered
// messages, so one component cannot use up the viewer's shared server budget or flood its own frame.

export class TokenBucket {
  #rate;
  #burst;
  #tokens;
  #at;

  constructor(rate, burst) {
    this.#rate = rate;
    this.#burst = burst;
    this.#tokens = burst;
    this.#at = performance.now();
  }

  tryTake(n = 1) {
    const now = performance.now();
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#at) / 1000) * this.#rate);
    this.#at = now;
    if (this.#tokens < n) {
      return false;
    }
    this.#tokens -= n;
    return true;
  }
}
