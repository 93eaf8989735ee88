// Holds messages of synced topics until the frame they belong to is on screen (docs/components.md "In sync with the
// picture"). Each message carries `mt`, the room's ingest media timestamp when the server accepted it; the player knows
// the media timestamp on screen. Two pages with different latency thus show a pinned product with the same frame.

/** A message is never held longer than this, whatever the clock says (a stuck or far-behind player). */
export const MAX_HOLD_MS = 10_000;
const TICK_MS = 40;

export class SyncQueue {
  #clock;
  #held = [];
  #timer = null;

  /** @param clock () => media timestamp on screen (ms), or null when unknown or the room is not live */
  constructor(clock) {
    this.#clock = clock;
  }

  /** Runs `deliver` when media time `mt` plays, or now when there is nothing to wait for. */
  push(mt, deliver) {
    if (typeof mt !== 'number' || this.#clock() == null) {
      deliver();
      return;
    }
    this.#held.push({ mt, deliver, until: performance.now() + MAX_HOLD_MS });
    this.#held.sort((a, b) => a.mt - b.mt);
    this.#timer ??= setInterval(() => this.#tick(), TICK_MS);
    this.#tick();
  }

  /** Delivers everything held (the room ended, or the clock is gone). */
  flush() {
    const all = this.#held;
    this.#held = [];
    this.#stop();
    all.forEach(run);
  }

  #tick() {
    const now = this.#clock();
    if (now == null) {
      this.flush();
      return;
    }
    const wall = performance.now();
    const due = this.#held.filter((h) => h.mt <= now || h.until <= wall);
    this.#held = this.#held.filter((h) => !due.includes(h));
    due.forEach(run);
    if (!this.#held.length) {
      this.#stop();
    }
  }

  #stop() {
    clearInterval(this.#timer);
    this.#timer = null;
  }
}

function run(held) {
  try {
    held.deliver();
  } catch (e) {
    console.warn('openlive: delivering a synced message failed', e); // one component's trouble must not stop the queue
  }
}
