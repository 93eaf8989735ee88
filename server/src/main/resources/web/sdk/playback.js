// Which player plays the room (the `playback` attribute of <live-room>, docs/host-apps.md "Playback"):
//   auto (default): FLV (the SDK's remuxer, or mpegts.js) where Media Source Extensions can play it; else HLS through hls.js where it has
//     MediaSource; else the browser's own HLS (Safari, iOS); else nothing ('unsupported'). FLV that never arrives over
//     WebSocket nor HTTP (a proxy that passes neither) hands over to HLS too.
//   flv: FLV only.   hls: HLS only (hls.js, else the browser's own).

import { LivePlayer } from './player.js';
import { HlsPlayer } from './hls-player.js';
import { canPlayFlv, canPlayHlsJs, canPlayHlsNatively, loadHls, loadMpegts } from './player-library.js';
import { remuxSupported } from './remux-engine.js';

export const PLAYBACK_MODES = ['auto', 'flv', 'hls'];

/** The mode an attribute value names; anything else is auto. */
export function playbackMode(value) {
  return PLAYBACK_MODES.includes(value) ? value : 'auto';
}

/** The player for this mode in this browser: 'flv' | 'hls.js' | 'native-hls', or null when none can play. */
export function choosePlayer(mode, video) {
  if (mode !== 'hls' && canPlayFlv()) {
    return 'flv';
  }
  return mode === 'flv' ? null : hlsPlayer(video);
}

/** The HLS player this browser has, or null. */
export function hlsPlayer(video) {
  if (canPlayHlsJs()) {
    return 'hls.js';
  }
  return canPlayHlsNatively(video) ? 'native-hls' : null;
}

/** A player of that kind; urls = { ws, http, hls }; events as LivePlayer takes them. */
export function createPlayer(kind, video, urls, events) {
  return kind === 'flv' ? new LivePlayer(video, urls, events) : new HlsPlayer(video, urls.hls, events, kind === 'native-hls');
}

/**
 * Starts fetching the library of that player now, so it is in by the time the room turns out to be live: the player
 * itself starts only once the container document or room.info says so (bench: this took ~300 ms off the first frame).
 */
export function preloadLibrary(kind, base) {
  // FLV plays through the SDK's own remuxer where it can, with nothing to fetch; mpegts.js only where it cannot (a
  // stream with another codec fetches it then)
  const flv = kind === 'flv' && !remuxSupported();
  const loading = flv ? loadMpegts(base) : kind === 'hls.js' ? loadHls(base) : null;
  loading?.catch(() => {}); // the player reports a library that does not load, when it starts
}
