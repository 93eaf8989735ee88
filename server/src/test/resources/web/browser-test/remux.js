// The SDK's FLV remuxer driven directly, for RemuxerTest: FLV bytes in (base64 from the test), fragmented MP4 out (base64
// back to the test, for ffprobe), or played through the whole engine into this page's <video>.
import { FlvReader } from '/sdk/flv-reader.js';
import { FlvRemuxer } from '/sdk/flv-remuxer.js';
import { RemuxEngine } from '/sdk/remux-engine.js';

const fromBase64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

function toBase64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

/** Pushes the FLV in chunks of uneven sizes (1 byte to 5 KB, cutting headers and bodies anywhere). */
function feed(reader, bytes) {
  let size = 1;
  for (let at = 0; at < bytes.length; at += size) {
    size = (size * 7 + 13) % 5003 + 1;
    reader.push(bytes.slice(at, at + size)); // a copy, as a network chunk would be
  }
}

/**
 * { tracks: [{ kind, mime, mp4 (base64 init + segments) }], clock, segments, inits }: each segment pulled as soon as it is
 * ready, as a SourceBuffer that is never busy would take it (so mostly a frame per segment).
 */
window.remux = (flvBase64) => {
  const parts = { video: [], audio: [] };
  const result = { tracks: [], clock: null, segments: 0, inits: 0 };
  let remuxer;
  const drain = (kind) => {
    let item;
    while ((item = remuxer.pull(kind))) {
      parts[kind].push(item.init ?? item.segment);
      item.init ? result.inits++ : result.segments++;
    }
  };
  remuxer = new FlvRemuxer({
    onClock: (t) => { result.clock = t; },
    onTracks: (tracks) => tracks.forEach((t) => result.tracks.push({ kind: t.kind, mime: t.mime })),
    onData: (kind) => drain(kind),
  }, (mime) => MediaSource.isTypeSupported(mime));
  const reader = new FlvReader(() => {}, (tag) => remuxer.tag(tag));
  feed(reader, fromBase64(flvBase64));
  remuxer.flush();
  for (const t of result.tracks) {
    drain(t.kind);
    const all = new Uint8Array(parts[t.kind].reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts[t.kind]) {
      all.set(p, at);
      at += p.length;
    }
    t.mp4 = toBase64(all);
  }
  return result;
};

/** What the reader and remuxer say about these bytes: the error's name and message, or 'ok'. */
window.parse = (flvBase64) => {
  const remuxer = new FlvRemuxer({ onClock() {}, onTracks() {}, onData() {} }, () => true);
  const reader = new FlvReader(() => {}, (tag) => remuxer.tag(tag));
  try {
    feed(reader, fromBase64(flvBase64));
    return 'ok, ' + reader.buffered + ' bytes held';
  } catch (e) {
    return e.name + ': ' + e.message;
  }
};

/** Plays a URL (http:, data:, ws:) through the engine into the page's video; window.log records its events. */
window.play = (url) => {
  const video = document.getElementById('video');
  window.log = [];
  const note = (type) => (detail) => window.log.push({ type, detail: detail ?? null, at: performance.now() });
  window.engine = new RemuxEngine(video, url, {
    onError: note('error'), onEnd: note('end'), onClock: note('clock'), onMediaInfo: note('media-info'),
    onUnsupported: note('unsupported'),
  });
  video.addEventListener('loadedmetadata', () => video.play().catch((e) => note('play-failed')(e.message)), { once: true });
  video.addEventListener('resize', () => note('resize')(video.videoWidth + 'x' + video.videoHeight));
  window.engine.load();
};
