// Loads the player libraries once per page: the vendored mpegts.js (vendor/mpegts/) and hls.js from its WebJar (copied to
// vendor/hls.js/ by the server's build). Both are UMD bundles, not ES modules, so they go in through a classic <script>
// tag and are read from window.mpegts / window.Hls; every <live-room> on the page shares the one copy. Also tells what
// this browser can play: FLV (mpegts.js), HLS through Media Source Extensions (hls.js), HLS natively (Safari, iOS).

import { mark } from './marks.js';

const loading = new Map();

/** Resolves to the mpegts.js namespace, or rejects when the file cannot be loaded. */
export function loadMpegts(base) {
  return load(new URL('vendor/mpegts/mpegts.js', base), 'mpegts');
}

/** Resolves to the hls.js class (window.Hls), or rejects when the file cannot be loaded. */
export function loadHls(base) {
  return load(new URL('vendor/hls.js/hls.min.js', base), 'Hls');
}

function load(url, global) {
  if (window[global]) {
    return Promise.resolve(window[global]);
  }
  if (!loading.has(global)) {
    loading.set(global, new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = url.href;
      script.async = true;
      script.onload = () => {
        mark('player-library');
        return window[global] ? resolve(window[global]) : reject(new Error(url.pathname + ' did not define window.' + global));
      };
      script.onerror = () => {
        loading.delete(global); // a later <live-room> may try again
        reject(new Error('could not load ' + script.src));
      };
      document.head.appendChild(script);
    }));
  }
  return loading.get(global);
}

/** Media Source Extensions (or Safari's ManagedMediaSource) able to take H.264 + AAC in fMP4, what both libraries feed. */
function mseWithAvc() {
  const MS = window.ManagedMediaSource || window.MediaSource;
  return !!MS && typeof MS.isTypeSupported === 'function'
    && MS.isTypeSupported('video/mp4; codecs="avc1.42E01E,mp4a.40.2"');
}

/** Whether this browser can play FLV at all: mpegts.js remuxes FLV into fMP4 for Media Source Extensions. */
export function canPlayFlv() {
  return mseWithAvc();
}

/** Whether hls.js can play here: hls.js 1.4 needs MediaSource itself (it takes Safari's ManagedMediaSource from 1.5 on). */
export function canPlayHlsJs() {
  const MS = window.MediaSource || window.WebKitMediaSource;
  return !!MS && typeof MS.isTypeSupported === 'function'
    && MS.isTypeSupported('video/mp4; codecs="avc1.42E01E,mp4a.40.2"');
}

/** Whether the <video> element plays an HLS playlist by itself (Safari, iOS, recent Chrome). */
export function canPlayHlsNatively(video) {
  return !!video?.canPlayType && video.canPlayType('application/vnd.apple.mpegurl') !== '';
}
