// Plays a live room's FLV: WebSocket-FLV first, HTTP-FLV when the WebSocket never delivers. It keeps the picture near the
// live edge (latency chasing), reconnects with back-off when the stream drops or stalls, starts muted when the browser
// blocks sound, and knows which media timestamp is on screen (the `onOpenliveClock` script tag the server sends before
// the first media tag; see docs/components.md "In sync with the picture"). The FLV goes through the SDK's own remuxer
// into Media Source Extensions (remux-engine.js); a stream it cannot play (another codec) or a browser it cannot play in
// goes through mpegts.js instead (mpegts-engine.js), which is only fetched then.

import { loadMpegts, canPlayFlv } from './player-library.js';
import { Autoplay } from './autoplay.js';
import { mark } from './marks.js';
import { RemuxEngine, remuxSupported } from './remux-engine.js';
import { MpegtsEngine } from './mpegts-engine.js';

/** Buffer ahead of the playhead the player aims for (seconds); a host page may ask for more (`buffer` attribute). */
export const TARGET_LATENCY_S = 0.6;
export const MAX_TARGET_LATENCY_S = 5;
/** Above target + this the playback rate is nudged up to catch up. */
const CHASE_ABOVE_S = 0.6;
/** Above target + this (after a stall, a background tab) the playhead jumps to the target behind the live edge. */
const JUMP_ABOVE_S = 2.4;
/** No playhead progress for this long while live counts as a stall: the player reconnects. */
export const STALL_MS = 6000;
/** Reconnect back-off: doubles from the first value to the last. */
export const RECONNECT_MS = { first: 1000, max: 10_000 };

export class LivePlayer {
  #video;
  #urls;
  #events;
  #mpegts = null;
  /** The engine playing now (RemuxEngine or MpegtsEngine), null between connections. */
  #player = null;
  /** Whether this player uses mpegts.js: the browser lacks what the remuxer needs, or a stream needed another codec. */
  #useMpegts = !remuxSupported();
  #useHttp = false;
  #gotData = false;
  #clockBase = null;
  #attempt = 0;
  #retryTimer = null;
  #watch = null;
  #lastTime = -1;
  #lastProgressAt = 0;
  #running = false;
  #target = TARGET_LATENCY_S;
  #started = false;
  #everGotData = false;
  #autoplay;
  #base;

  /**
   * @param video the <video> element
   * @param urls { ws, http } absolute FLV URLs of the room
   * @param events { onState('loading'|'playing'|'reconnecting'|'unsupported'|'error', detail), onSound('muted'|'on'),
   *   onUnplayable(reason) optional: neither WS-FLV nor HTTP-FLV ever delivered; returning true hands the room over
   *   (the container then plays HLS) and this player stops }
   */
  constructor(video, urls, events) {
    this.#video = video;
    this.#urls = urls;
    this.#events = events;
    this.#autoplay = new Autoplay(video, (s) => events.onSound(s));
  }

  /** Which player this is, for the container's `playback.player`. */
  get kind() {
    return 'flv';
  }

  /** Seconds of buffer to hold ahead of the playhead: more is smoother on poor networks and later behind live. */
  set targetLatency(seconds) {
    const s = Number(seconds);
    this.#target = Number.isFinite(s) ? Math.min(MAX_TARGET_LATENCY_S, Math.max(0.3, s)) : TARGET_LATENCY_S;
  }

  static get supported() {
    return canPlayFlv();
  }

  async start(base) {
    if (this.#running) {
      return;
    }
    this.#running = true;
    if (!canPlayFlv()) {
      this.#events.onState('unsupported');
      return;
    }
    this.#base = base;
    if (this.#useMpegts) {
      this.#mpegts = window.mpegts ?? null; // preloaded: no await (below), so the player starts before the frames mount
      if (!this.#mpegts && !await this.#loadMpegts()) {
        return;
      }
    } else {
      mark('player-library'); // the remuxer's modules came in with this one: nothing more to fetch
    }
    this.#create();
    this.#watch = setInterval(() => this.#tick(), 250);
    window.addEventListener('online', this.#onOnline);
  }

  stop() {
    this.#running = false;
    if (!this.#everGotData) {
      this.#useHttp = false; // a transport that failed before the room was live proves nothing: WebSocket first again
    }
    window.removeEventListener('online', this.#onOnline);
    clearTimeout(this.#retryTimer);
    clearInterval(this.#watch);
    this.#destroyPlayer();
  }

  /** The media timestamp (ms, the room's ingest timeline) of the frame on screen, or null while unknown. */
  mediaTime() {
    if (this.#clockBase == null || !this.#player || this.#video.readyState < 2) {
      return null;
    }
    return this.#clockBase + this.#video.currentTime * 1000;
  }

  /** Seconds of media buffered ahead of the playhead (the part of latency the player controls). */
  bufferedAhead() {
    const b = this.#video.buffered;
    return b.length ? Math.max(0, b.end(b.length - 1) - this.#video.currentTime) : 0;
  }

  /** Turns sound on; called from the unmute button, a user gesture, so the browser allows it. */
  unmute() {
    this.#autoplay.unmute();
  }

  #create() {
    this.#gotData = false;
    this.#clockBase = null;
    this.#lastProgressAt = performance.now();
    const url = this.#useHttp ? this.#urls.http : this.#urls.ws;
    const events = {
      onError: (message) => this.#failed(message),
      onEnd: () => this.#failed('the stream ended'),
      onClock: (mediaTime) => { this.#clockBase = mediaTime; },
      onMediaInfo: () => {
        this.#gotData = true;
        this.#everGotData = true;
        mark('media-info');
      },
      onUnsupported: (reason) => this.#toMpegts(reason),
    };
    const player = this.#useMpegts ? new MpegtsEngine(this.#mpegts, this.#video, url, events)
      : new RemuxEngine(this.#video, url, events);
    this.#player = player;
    mark('player-start');
    player.load();
    this.#events.onState(this.#attempt ? 'reconnecting' : 'loading');
    // play() as soon as the stream's first media is in (a paused element shows no first frame: BENCHMARKS.md, browser,
    // runs 5 and 6), not after a start buffer: the server's first burst is the cached GOP, and #chase catches up from there.
    // A host that asked for a larger buffer (a poor network) waits for it in #tick instead.
    this.#started = false;
    if (this.#target <= TARGET_LATENCY_S) {
      this.#video.addEventListener('loadedmetadata', this.#startNow, { once: true });
    }
  }

  /** The stream has a codec the remuxer does not play: mpegts.js plays it, from now on for this player. */
  async #toMpegts(reason) {
    console.info('openlive: ' + reason + '; playing it through mpegts.js');
    this.#destroyPlayer();
    this.#useMpegts = true;
    if (await this.#loadMpegts() && this.#running && !this.#player) {
      this.#create();
    }
  }

  async #loadMpegts() {
    try {
      // already there (preloaded) in start(): no await there, so the player is created before the caller goes on to
      // mount the component frames, which held it back ~200 ms (BENCHMARKS.md, browser, run 5)
      this.#mpegts = window.mpegts ?? await loadMpegts(this.#base);
    } catch (e) {
      this.#events.onState('error', { code: 'player_unavailable', message: e.message });
      return false;
    }
    return this.#running;
  }

  #play() {
    this.#autoplay.play();
  }

  #startNow = () => {
    if (this.#player && !this.#started) {
      this.#started = true;
      this.#lastProgressAt = performance.now();
      mark('play');
      this.#play();
    }
  };

  #tick() {
    const v = this.#video;
    if (!this.#player) {
      return;
    }
    const now = performance.now();
    if (!this.#started) {
      if (this.bufferedAhead() >= this.#target - 0.1) {
        this.#started = true;
        this.#lastProgressAt = now;
        mark('play'); // the start buffer is there
        this.#play();
      } else if (now - this.#lastProgressAt > STALL_MS + this.#target * 1000) {
        this.#failed('no media within ' + STALL_MS + ' ms');
      }
      return;
    }
    if (v.currentTime !== this.#lastTime) {
      if (this.#lastTime >= 0 && v.currentTime > this.#lastTime && this.#attempt && this.#gotData) {
        this.#attempt = 0; // playing again: the next drop starts its back-off afresh
      }
      this.#lastTime = v.currentTime;
      this.#lastProgressAt = now;
      if (!v.paused) {
        this.#events.onState('playing');
      }
    } else if (now - this.#lastProgressAt > STALL_MS) {
      this.#failed('no progress for ' + STALL_MS + ' ms');
      return;
    }
    this.#chase();
  }

  #chase() {
    const v = this.#video;
    const b = v.buffered;
    if (!b.length) {
      return;
    }
    const end = b.end(b.length - 1);
    if (v.currentTime < b.start(0)) {
      v.currentTime = b.start(0); // a gap before the first buffered range (after a reconnect): step into it
    } else if (v.readyState < 3) {
      for (let i = 0; i + 1 < b.length; i++) {
        if (v.currentTime >= b.end(i) - 0.1 && v.currentTime < b.start(i + 1)) {
          v.currentTime = b.start(i + 1); // a gap in the stream's timestamps (the encoder paused): play on after it
          break;
        }
      }
    }
    const ahead = end - v.currentTime;
    if (ahead > this.#target + JUMP_ABOVE_S) {
      v.currentTime = end - this.#target;
      v.playbackRate = 1;
    } else if (ahead > this.#target + CHASE_ABOVE_S) {
      v.playbackRate = ahead > this.#target + 1.4 ? 1.25 : 1.1; // small enough that the pitch change is barely heard
    } else if (ahead <= this.#target + 0.1 && v.playbackRate !== 1) {
      v.playbackRate = 1;
    }
    // the live picture has no pause control, so a paused video with data is a stall (a background tab) to recover from
    if (v.paused && v.readyState >= 3) {
      this.#play();
    }
  }

  /** Back online: reconnect now rather than after a back-off that grew while the network was gone. */
  #onOnline = () => {
    if (this.#running && !this.#player) {
      clearTimeout(this.#retryTimer);
      this.#attempt = 0;
      this.#create();
    }
  };

  #failed(reason) {
    if (!this.#running) {
      return;
    }
    if (!this.#everGotData && this.#useHttp && this.#events.onUnplayable?.(reason) === true) {
      this.stop(); // neither transport ever delivered (a proxy that passes neither): the container plays HLS instead
      return;
    }
    if (!this.#gotData && !this.#useHttp) {
      this.#useHttp = true; // the WebSocket never delivered (a proxy without WebSocket): use HTTP-FLV from now on
    }
    this.#destroyPlayer();
    const wait = Math.min(RECONNECT_MS.max, RECONNECT_MS.first * 2 ** this.#attempt++);
    this.#events.onState('reconnecting', { reason, inMs: wait });
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => this.#running && this.#create(), wait);
  }

  #destroyPlayer() {
    const p = this.#player;
    this.#player = null;
    this.#video.removeEventListener('loadedmetadata', this.#startNow);
    this.#clockBase = null;
    this.#lastTime = -1;
    p?.destroy();
  }
}
