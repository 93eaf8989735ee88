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

/**
 * Marks the video element's steps (loadedmetadata, loadeddata, first-frame, playing) and counts the times its picture
 * waited for data after it first played (`waiting`: a stall, a reconnect, a jump). Returns { stalls }.
 */
export function watchVideo(video) {
  const watch = { stalls: 0 };
  // first-frame is stamped with the callback's `now`, when the frame is handed to the compositor; browsers without the
  // callback get no first-frame mark
  video.requestVideoFrameCallback?.((now) => mark('first-frame', now));
  video.addEventListener('loadedmetadata', () => mark('loadedmetadata'), { once: true });
  video.addEventListener('loadeddata', () => mark('loadeddata'), { once: true });
  video.addEventListener('playing', () => {
    mark('playing');
    video.addEventListener('waiting', () => watch.stalls++);
  }, { once: true });
  return watch;
}
