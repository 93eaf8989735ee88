// Plays a finished recording of the room, replayed by the server as VOD HLS (/recordings/{room}/{id}.m3u8, fMP4,
// EXT-X-PLAYLIST-TYPE:VOD): with hls.js over Media Source Extensions, or the browser's own HLS (Safari, iOS) without
// MSE. Unlike the live players there is no live edge to chase and nothing to reconnect to: the viewer gets the video's
// own controls (pause, seek, sound) and the recording's whole length. Same interface as the live players, so the
// container drives either: start/stop, loading -> playing, autoplay (muted where the browser blocks sound).

import { loadHls } from './player-library.js';
import { Autoplay } from './autoplay.js';
import { mark } from './marks.js';

/** Fatal network errors hls.js may retry in place (startLoad) before the replay is given up as an error. */
const MAX_RESTARTS = 3;
/** Two media errors closer than this: recoverMediaError did not help. */
const MEDIA_RECOVERY_WINDOW_MS = 3000;

/** A recording as components and the `state` event see it: its id, start, end and length (null where unknown). */
export function recordingOf(r) {
  return { id: r.id, startedAt: r.startedAt ?? null, endedAt: r.endedAt ?? null, duration: r.duration ?? null };
}

export class ReplayPlayer {
  #video;
  #url;
  #events;
  #native;
  #Hls = null;
  #hls = null;
  #autoplay;
  #running = false;
  #restarts = 0;
  #lastMediaError = 0;

  /**
   * @param video the <video> element
   * @param url absolute URL of the recording's VOD playlist
   * @param events { onState('loading'|'playing'|'unsupported'|'error', detail), onSound('muted'|'on') }
   * @param native true: the browser plays HLS itself (no MSE); false: hls.js
   */
  constructor(video, url, events, native = false) {
    this.#video = video;
    this.#url = url;
    this.#events = events;
    this.#native = native;
    this.#autoplay = new Autoplay(video, (s) => events.onSound(s));
  }

  get kind() {
    return this.#native ? 'native-hls' : 'hls.js';
  }

  /** The `buffer` attribute is about distance from live; a replay has none. */
  set targetLatency(_seconds) {
  }

  async start(base) {
    if (this.#running) {
      return;
    }
    this.#running = true;
    if (!this.#native) {
      try {
        this.#Hls = window.Hls ?? await loadHls(base);
      } catch (e) {
        this.#events.onState('error', { code: 'player_unavailable', message: e.message });
        return;
      }
      if (!this.#running) {
        return;
      }
      if (!this.#Hls.isSupported()) {
        this.#events.onState('unsupported');
        return;
      }
    }
    const v = this.#video;
    v.controls = true; // a recording is paused, rewound and skipped through: the browser's own controls do that best
    v.addEventListener('playing', this.#onPlaying);
    v.addEventListener('loadeddata', this.#onPlaying); // a picture to show, even where autoplay is refused
    v.addEventListener('error', this.#onVideoError);
    this.#events.onState('loading');
    mark('player-start');
    if (this.#native) {
      v.src = this.#url;
      v.addEventListener('loadedmetadata', this.#onMetadata, { once: true });
      return;
    }
    const Hls = this.#Hls;
    // VOD: hls.js's defaults (no low-latency mode, no live sync); the whole playlist is known from the first load
    const hls = new Hls({ lowLatencyMode: false });
    this.#hls = hls;
    hls.on(Hls.Events.MANIFEST_PARSED, () => {
      mark('play');
      this.#autoplay.play();
    });
    hls.on(Hls.Events.ERROR, (_, d) => this.#onError(d));
    hls.loadSource(this.#url);
    hls.attachMedia(v);
  }

  stop() {
    this.#running = false;
    const v = this.#video;
    v.removeEventListener('playing', this.#onPlaying);
    v.removeEventListener('loadeddata', this.#onPlaying);
    v.removeEventListener('error', this.#onVideoError);
    v.removeEventListener('loadedmetadata', this.#onMetadata);
    v.controls = false;
    const hls = this.#hls;
    this.#hls = null;
    if (hls) {
      try {
        hls.destroy();
      } catch {
        // discarded either way
      }
    }
    if (this.#native) {
      v.removeAttribute('src');
      v.load();
    }
  }

  /** A recording's timestamps are not the room's live timeline the synced messages follow: none. */
  mediaTime() {
    return null;
  }

  bufferedAhead() {
    const b = this.#video.buffered;
    return b.length ? Math.max(0, b.end(b.length - 1) - this.#video.currentTime) : 0;
  }

  unmute() {
    this.#autoplay.unmute();
  }

  #onMetadata = () => {
    if (this.#running) {
      this.#autoplay.play();
    }
  };

  #onPlaying = () => {
    if (this.#running) {
      this.#events.onState('playing');
    }
  };

  #onVideoError = () => {
    if (this.#running && this.#native) {
      this.#fail('the browser could not play the recording (' + (this.#video.error?.message || this.#video.error?.code) + ')');
    }
  };

  /** hls.js's advice for fatal errors: reload on network trouble, recover the media pipeline once, else give up. */
  #onError(d) {
    if (!d.fatal || !this.#hls) {
      return;
    }
    const Hls = this.#Hls;
    const now = performance.now();
    if (d.type === Hls.ErrorTypes.NETWORK_ERROR && d.details !== Hls.ErrorDetails.MANIFEST_LOAD_ERROR
        && this.#restarts++ < MAX_RESTARTS) {
      this.#hls.startLoad();
    } else if (d.type === Hls.ErrorTypes.MEDIA_ERROR && now - this.#lastMediaError > MEDIA_RECOVERY_WINDOW_MS) {
      this.#lastMediaError = now;
      this.#hls.recoverMediaError();
    } else {
      // a playlist that is not there (deleted, an id of another room) answers 404: nothing a retry changes
      this.#fail(d.details === Hls.ErrorDetails.MANIFEST_LOAD_ERROR ? 'no such recording' : d.type + ': ' + d.details);
    }
  }

  #fail(message) {
    const running = this.#running;
    this.stop();
    if (running) {
      this.#events.onState('error', { code: 'replay_unavailable', message });
    }
  }
}
