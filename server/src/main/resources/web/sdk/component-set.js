// The component frames of one <live-room>: mounted from the container document, placed in their slots, told when they
// are shown or hidden, and destroyed when the server revokes a version, the room is rebound to another instance or the
// show ends. Frames that stay in a new document keep running (an iframe moved or re-created would reload).

import { ComponentFrame } from './component-frame.js';
import { slotOf, sizeOf, anchorOf } from './layout.js';

export class ComponentSet {
  #slots;
  #host;
  #frames = new Map();
  #onScreen = new WeakSet();
  #pageVisible = true;
  #observer;

  /**
   * @param slots { overlay, 'product-bar', 'bottom-bar', 'side-panel' } slot elements
   * @param host the bridge host each ComponentFrame talks to (see component-frame.js)
   */
  constructor(slots, host) {
    this.#slots = slots;
    this.#host = host;
    // a frame is shown while any of it is on screen: scrolled away or in a hidden slot, it gets hide
    this.#observer = new IntersectionObserver((entries) => {
      entries.forEach((e) => (e.isIntersecting ? this.#onScreen.add(e.target) : this.#onScreen.delete(e.target)));
      this.#updateVisibility();
    });
  }

  /** Mounts the parts of a container document: new ones are created, ones no longer bound are destroyed. */
  mount(doc, fallbackOrigin) {
    const parts = (doc.parts ?? []).map((p) => ({ ...p, url: new URL(p.url, doc.componentOrigin ?? fallbackOrigin).href,
      permissions: p.permissions ?? [], subscribes: p.subscribes ?? [], emits: p.emits ?? [] }));
    const keep = new Set(parts.map((p) => p.versionId + '|' + slotOf(p)));
    for (const [id, f] of this.#frames) {
      if (!keep.has(id + '|' + slotOf(f.part))) {
        this.#drop(id, 'rebound');
      }
    }
    for (const part of parts) {
      if (!this.#frames.has(part.versionId)) {
        const frame = new ComponentFrame(part, this.#host);
        frame.create(sizeOf(part));
        this.#frames.set(part.versionId, frame);
      }
    }
    this.#place(parts.map((p) => p.versionId));
  }

  /** Destroys one version's frame (revoked, misbehaving); false when it is not mounted here. */
  unmount(versionId, reason) {
    if (!this.#frames.has(versionId)) {
      return false;
    }
    this.#drop(versionId, reason);
    this.#place();
    return true;
  }

  /** Destroys every frame (the show ended, the element left the page). */
  clear(reason) {
    [...this.#frames.keys()].forEach((id) => this.#drop(id, reason));
    this.#slots.overlay.replaceChildren();
  }

  get isEmpty() {
    return this.#frames.size === 0;
  }

  /** Topics the mounted frames currently want from the room. */
  topics() {
    const topics = new Set();
    this.#frames.forEach((f) => f.part.subscribes.forEach((t) => f.wants(t) && topics.add(t)));
    return topics;
  }

  /** A room message to every frame subscribed to its topic. */
  deliver(envelope) {
    this.#frames.forEach((f) => f.wants(envelope.topic) && f.deliver(envelope));
  }

  skipped(topic, count) {
    this.#frames.forEach((f) => f.skipped(topic, count));
  }

  /** The page went to the background or came back. */
  setPageVisible(visible) {
    this.#pageVisible = visible;
    this.#updateVisibility();
  }

  disconnect() {
    this.#observer.disconnect();
  }

  #drop(id, reason) {
    const f = this.#frames.get(id);
    this.#frames.delete(id);
    if (f?.element) {
      this.#observer.unobserve(f.element);
    }
    f?.destroy(reason);
  }

  /** Puts every frame in its slot (and overlay corner) in the instance's order; frames already placed are not moved. */
  #place(order = [...this.#frames.keys()]) {
    const overlay = this.#slots.overlay;
    const taken = new Set();
    for (const id of order) {
      const f = this.#frames.get(id);
      if (!f) {
        continue;
      }
      const slot = slotOf(f.part);
      let parent = this.#slots[slot];
      if (slot === 'overlay') {
        const anchor = anchorOf(f.part, taken);
        taken.add(anchor);
        parent = overlay.querySelector('.corner.' + anchor)
          ?? overlay.appendChild(Object.assign(document.createElement('div'), { className: 'corner ' + anchor }));
      }
      if (f.element.parentElement !== parent) {
        parent.appendChild(f.element); // first insertion loads the iframe; moving one would reload it, so only once
        this.#observer.observe(f.element);
      }
    }
    overlay.querySelectorAll('.corner').forEach((c) => c.childElementCount || c.remove());
    this.#updateVisibility();
  }

  #updateVisibility() {
    this.#frames.forEach((f) => f.setVisible(this.#pageVisible && this.#onScreen.has(f.element)));
  }
}
