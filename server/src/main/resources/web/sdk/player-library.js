// Loads the vendored mpegts.js once. It is a UMD bundle, not an ES module, so it goes in through a classic <script> tag
// and is read from window.mpegts; every <live-room> on the page shares the one copy.

let loading = null;

/** Resolves to the mpegts.js namespace, or rejects when the file cannot be loaded. */
export function loadMpegts(base) {
  if (window.mpegts) {
    return Promise.resolve(window.mpegts);
  }
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = new URL('vendor/mpegts/mpegts.js', base).href;
      script.async = true;
      script.onload = () => (window.mpegts ? resolve(window.mpegts) : reject(new Error('mpegts.js did not define window.mpegts')));
      script.onerror = () => {
        loading = null; // a later <live-room> may try again
        reject(new Error('could not load ' + script.src));
      };
      document.head.appendChild(script);
    });
  }
  return loading;
}

/** Whether this browser can play FLV at all: mpegts.js needs Media Source Extensions with H.264 + AAC. */
export function canPlayFlv() {
  const MS = window.ManagedMediaSource || window.MediaSource;
  return !!MS && typeof MS.isTypeSupported === 'function'
    && MS.isTypeSupported('video/mp4; codecs="avc1.42E01E,mp4a.40.2"');
}
