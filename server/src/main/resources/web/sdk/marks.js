// Performance marks of the steps between a page load and the first frame, for benchmarks (bench's browser mode) and page
// monitoring: `performance.getEntriesByType('mark')` entries named `openlive:<step>`, timed from navigation start. Each
// step is marked once per page (the first <live-room> to get there; reconnects do not mark again). Steps, in order:
// connected, token, container, room-live, player-library, player-start, media-info (first bytes parsed),
// loadedmetadata, play (the player calls play()), loadeddata, first-frame (requestVideoFrameCallback), playing. See docs/host-apps.md "Performance marks".

const marked = new Set();

/** Marks `openlive:<step>` now (or at `startTime`), unless this page already has it. */
export function mark(step, startTime) {
  const name = 'openlive:' + step;
  if (!marked.has(name) && typeof performance?.mark === 'function') {
    marked.add(name);
    performance.mark(name, startTime == null ? undefined : { startTime });
  }
}
