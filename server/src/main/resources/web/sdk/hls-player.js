// Plays a live room's LL-HLS playlist (/live/{room}.m3u8, fMP4) where FLV cannot play: with hls.js over Media Source
// Extensions, or with the browser's own HLS (Safari, iOS) when there is no MSE. Same interface and states as the FLV
// player (player.js): start/stop, loading → playing, reconnecting with back-off, muted autoplay with unmute, and the
// media timestamp on screen (hls.js only; see mediaTime()).

import { loadHls } from './player-library.js';
import { Autoplay } from './autoplay.js';
import { mark } from './marks.js';
import { MAX_TARGET_LATENCY_S, RECONNECT_MS, STALL_MS } from './player.js';

/** Behind live by more than the target + this, the playback rate is nudged up to catch up (as the FLV player does). */
const CHASE_ABOVE_S = 0.4;
/** Behind live by more than the target + this (a background tab, a long stall), the playhead jumps to the target. */
const JUMP_ABOVE_S = 2.4;
/** Fatal network errors hls.js may retry in place (startLoad) before the player is made anew. */
const MAX_RESTARTS = 3;
/** Two media errors closer than this: recoverMediaError did not help, so the player is made anew. */
const MEDIA_RECOVERY_WINDOW_MS = 3000;

export class HlsPlayer {
  #video;
  #url;
  #events;
  #native;
  #Hls = null;
  #hls = null;
  /** A player (hls.js or the video's own) is loading or playing; false while a reconnect waits. */
  #active = false;
  #autoplay;
  #running = false;
  #attempt = 0;
  #retryTimer = null;
  #watch = null;
  #lastTime = -1;
  #lastProgressAt = 0;
  #restarts = 0;
  #lastMediaError = 0;
  #liveSync = null;
  /** hls.js's initPTS per discontinuity (cc): media seconds at video time 0, and the cc of the fragment playing. */
  #bases = new Map();
  #playingCc = null;

  /**
   * @param video the <video> element
   * @param url absolute URL of the room's playlist (/live/{room}.m3u8)
   * @param events as for LivePlayer: { onState(state, detail), onSound('muted'|'on') }
   * @param native true: the browser plays HLS itself (no MSE); false: hls.js
   */
  constructor(video, url, events, native = false) {
    this.#video = video;
    this.#url = url;
    this.#events = events;
    this.#native = native;
    this.#autoplay = new Autoplay(video, (s) => events.onSound(s));
  }

  /** 'hls.js' or 'native-hls', for the container's `playback.player`. */
  get kind() {
    return this.#native ? 'native-hls' : 'hls.js';
  }

  /**
   * Seconds behind the live edge to hold (the `buffer` attribute): hls.js's liveSyncDuration. Unset, hls.js follows the
   * playlist's PART-HOLD-BACK (three parts, about 1 s). Applies from the next (re)connect.
   */
  set targetLatency(seconds) {
    const s = Number(seconds);
    this.#liveSync = Number.isFinite(s) ? Math.min(MAX_TARGET_LATENCY_S, Math.max(0.3, s)) : null;
  }

  async start(base) {
    if (this.#running) {
      return;
    }
    this.#running = true;
    if (!this.#native) {
      try {
        this.#Hls = window.Hls ?? await loadHls(base); // no await when preloaded, as in player.js
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
    this.#create();
    this.#watch = setInterval(() => this.#tick(), 250);
    window.addEventListener('online', this.#onOnline);
  }

  stop() {
    this.#running = false;
    window.removeEventListener('online', this.#onOnline);
    clearTimeout(this.#retryTimer);
    clearInterval(this.#watch);
    this.#destroy();
  }

  /**
   * The media timestamp (ms, the room's ingest timeline) of the frame on screen, or null while unknown. The server's
   * fMP4 decode times (tfdt) are the ingest timestamps; hls.js places media on the video timeline shifted by initPTS
   * (per discontinuity; about 0 for a live start here, where the playlist's times follow the media's), so media time
   * = initPTS + currentTime. The browser's own HLS tells no such thing: null there (synced messages then show as they
   * arrive).
   */
  mediaTime() {
    const base = this.#bases.get(this.#playingCc);
    if (this.#native || !this.#hls || base == null || this.#video.readyState < 2) {
      return null;
    }
    return (base + this.#video.currentTime) * 1000;
  }

  bufferedAhead() {
    const b = this.#video.buffered;
    return b.length ? Math.max(0, b.end(b.length - 1) - this.#video.currentTime) : 0;
  }

  unmute() {
    this.#autoplay.unmute();
  }

  #create() {
    this.#active = true;
    this.#lastProgressAt = performance.now();
    this.#lastTime = -1;
    this.#events.onState(this.#attempt ? 'reconnecting' : 'loading');
    mark('player-start');
    if (this.#native) {
      this.#video.src = this.#url;
      this.#video.addEventListener('loadedmetadata', this.#onNativeMetadata, { once: true });
      return;
    }
    const Hls = this.#Hls;
    const hls = new Hls({
      lowLatencyMode: true,
      // hls.js's own catching up is left off (its default, rate 1): it raises its target by 1 s for every stall and never
      // lowers it again, so one stall at the start left a viewer ~1.9 s behind for the whole show. The player steers
      // towards the playlist's PART-HOLD-BACK itself in #chase() (BENCHMARKS.md, browser, HLS)
      maxLiveSyncPlaybackRate: 1,
      backBufferLength: 10, // a live room is not rewound: keep memory flat over a long show
      ...(this.#liveSync == null ? {} : { liveSyncDuration: this.#liveSync, liveMaxLatencyDuration: this.#liveSync + 4 }),
    });
    this.#hls = hls;
    this.#restarts = 0;
    this.#bases.clear();
    this.#playingCc = null;
    hls.on(Hls.Events.INIT_PTS_FOUND, (_, d) => this.#bases.set(d.frag.cc, d.initPTS / d.timescale));
    hls.on(Hls.Events.FRAG_CHANGED, (_, d) => { this.#playingCc = d.frag.cc; });
    hls.on(Hls.Events.FRAG_PARSED, () => mark('media-info'));
    hls.on(Hls.Events.MANIFEST_PARSED, () => {
      mark('play');
      this.#autoplay.play();
    });
    hls.on(Hls.Events.ERROR, (_, d) => this.#onError(d));
    hls.loadSource(this.#url);
    hls.attachMedia(this.#video);
  }

  #onNativeMetadata = () => {
    if (this.#running) {
      this.#autoplay.play();
    }
  };

  /** hls.js's own advice for fatal errors: reload on network trouble, recover the media pipeline, else start anew. */
  #onError(d) {
    if (!d.fatal || !this.#hls) {
      return; // hls.js retries non-fatal trouble by itself
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
      this.#failed(d.type + ': ' + d.details); // a playlist that is gone (the room ended), or repeated trouble
    }
  }

  #tick() {
    const v = this.#video;
    if (!this.#active) {
      return;
    }
    const now = performance.now();
    if (v.currentTime !== this.#lastTime && v.readyState >= 2) {
      if (this.#lastTime >= 0 && v.currentTime > this.#lastTime) {
        this.#attempt = 0; // playing again: the next drop starts its back-off afresh
        if (!v.paused) {
          this.#events.onState('playing');
        }
      }
      this.#lastTime = v.currentTime;
      this.#lastProgressAt = now;
    } else if (now - this.#lastProgressAt > STALL_MS + (this.#lastTime < 0 ? STALL_MS : 0)) {
      this.#failed('no progress for ' + STALL_MS + ' ms'); // the first frame may take a segment longer
      return;
    }
    if (this.#hls) {
      this.#chase(this.#hls);
    }
    // the live picture has no pause control, so a paused video with data is a stall (a background tab) to recover from
    if (v.paused && v.readyState >= 3) {
      this.#autoplay.play();
    }
  }

  /**
   * Keeps the picture near the live edge as the FLV player does: faster playback when it falls behind, a jump when it
   * is far behind. The aim is the `buffer` attribute, else the playlist's PART-HOLD-BACK (three parts), not hls.js's
   * targetLatency, which carries 1 s more for every stall so far. hls.latency is hls.js's estimate of the live edge
   * (the newest part plus the playlist's age) minus the playhead.
   */
  #chase(hls) {
    const v = this.#video;
    const latency = hls.latency;
    const target = this.#liveSync ?? hls.levels?.[hls.currentLevel]?.details?.partHoldBack ?? hls.targetLatency;
    if (!Number.isFinite(latency) || !Number.isFinite(target) || target <= 0 || v.readyState < 2) {
      return;
    }
    const behind = latency - target;
    const ahead = this.bufferedAhead();
    const chasing = v.playbackRate > 1;
    if (behind > JUMP_ABOVE_S) {
      v.currentTime += behind; // hls.js loads the parts there if they are not buffered yet
      v.playbackRate = 1;
    } else if (chasing ? behind > 0.1 && ahead > target / 2 : behind > CHASE_ABOVE_S && ahead > target) {
      // faster only while the buffer allows it: when the newest parts are late, playing faster would only stall
      v.playbackRate = behind > 1.4 ? 1.25 : 1.1; // small enough that the pitch change is barely heard
    } else if (chasing) {
      v.playbackRate = 1;
    }
  }

  #onOnline = () => {
    if (this.#running && !this.#active) {
      clearTimeout(this.#retryTimer);
      this.#attempt = 0;
      this.#create();
    }
  };

  #failed(reason) {
    if (!this.#running) {
      return;
    }
    this.#destroy();
    const wait = Math.min(RECONNECT_MS.max, RECONNECT_MS.first * 2 ** this.#attempt++);
    this.#events.onState('reconnecting', { reason, inMs: wait });
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => this.#running && this.#create(), wait);
  }

  #destroy() {
    const wasActive = this.#active;
    this.#active = false;
    const hls = this.#hls;
    this.#hls = null;
    this.#bases.clear();
    this.#playingCc = null;
    this.#lastTime = -1;
    if (hls) {
      try {
        hls.destroy(); // detaches the media element too
      } catch {
        // a player that failed half-way may throw on teardown; it is discarded either way
      }
    }
    if (this.#native && wasActive) {
      this.#video.removeEventListener('loadedmetadata', this.#onNativeMetadata);
      this.#video.removeAttribute('src');
      this.#video.load();
    }
  }
}
