// player.js's engine for what the SDK's own remuxer does not play (E-RTMP HEVC/AV1, MP3 and other audio, a browser whose
// MediaSource lacks what it needs): mpegts.js, loaded only then. Same shape as remux-engine.js.

export class MpegtsEngine {
  #mpegts;
  #video;
  #url;
  #events;
  #player = null;

  /** @param mpegts the loaded library (window.mpegts); events as RemuxEngine takes them (onUnsupported is never called) */
  constructor(mpegts, video, url, events) {
    this.#mpegts = mpegts;
    this.#video = video;
    this.#url = url;
    this.#events = events;
  }

  load() {
    const m = this.#mpegts;
    const player = m.createPlayer({ type: 'flv', isLive: true, url: this.#url }, {
      enableWorker: false,
      enableStashBuffer: false, // no input buffering: frames go to the decoder as they arrive
      lazyLoad: false,
      autoCleanupSourceBuffer: true,
      liveBufferLatencyChasing: false, // done by player.js, with a stall jump mpegts.js does not have
    });
    this.#player = player;
    player.on(m.Events.ERROR, (type, detail) => this.#events.onError(type + ': ' + detail));
    player.on(m.Events.LOADING_COMPLETE, () => this.#events.onEnd());
    player.on(m.Events.SCRIPTDATA_ARRIVED, (data) => {
      const clock = data?.onOpenliveClock;
      if (clock && typeof clock.mediaTime === 'number') {
        this.#events.onClock(clock.mediaTime);
      }
    });
    player.on(m.Events.MEDIA_INFO, () => this.#events.onMediaInfo());
    player.attachMediaElement(this.#video);
    player.load();
  }

  destroy() {
    const p = this.#player;
    this.#player = null;
    if (p) {
      try {
        p.pause();
        p.unload();
        p.detachMediaElement();
        p.destroy();
      } catch {
        // a player that failed half-way may throw on teardown; it is discarded either way
      }
    }
  }
}
