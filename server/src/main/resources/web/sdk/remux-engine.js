// The SDK's own FLV player engine: FLV bytes (flv-transport.js) -> tags (flv-reader.js) -> fragmented MP4
// (flv-remuxer.js) -> Media Source Extensions (mse-feed.js). No library to fetch and compile before it can connect, which
// was mpegts.js's fixed cost on the way to the first frame (BENCHMARKS.md, browser, runs 6 and 7). player.js drives it
// like its mpegts.js engine: load(), destroy(), and the events below.

import { openFlv } from './flv-transport.js';
import { FlvReader } from './flv-reader.js';
import { FlvRemuxer, UnsupportedMedia } from './flv-remuxer.js';
import { MseFeed } from './mse-feed.js';

/** Media parsed but not yet taken by the media source: beyond this the element is not consuming, and it is an error. */
export const MAX_PENDING_BYTES = 32 * 1024 * 1024;

/** Whether this browser has what the engine needs: Media Source Extensions taking H.264 and AAC in fMP4. */
export function remuxSupported() {
  const MS = window.ManagedMediaSource || window.MediaSource;
  return !!MS && typeof MS.isTypeSupported === 'function'
    && MS.isTypeSupported('video/mp4; codecs="avc1.42E01E"') && MS.isTypeSupported('audio/mp4; codecs="mp4a.40.2"');
}

export class RemuxEngine {
  #video;
  #url;
  #events;
  #transport = null;
  #feed = null;
  #remuxer = null;
  #reader = null;
  #done = false;

  /**
   * @param events { onError(message), onEnd(), onClock(mediaTime), onMediaInfo(), onUnsupported(reason) }; after any
   *   of onError, onEnd, onUnsupported the engine is finished and only destroy() is left
   */
  constructor(video, url, events) {
    this.#video = video;
    this.#url = url;
    this.#events = events;
  }

  load() {
    const MS = window.ManagedMediaSource || window.MediaSource;
    this.#feed = new MseFeed(this.#video, (kind) => this.#remuxer.pull(kind), (m) => this.#finish('onError', m));
    this.#remuxer = new FlvRemuxer({
      onClock: (t) => this.#events.onClock(t),
      onTracks: (tracks) => {
        this.#feed.addTracks(tracks);
        this.#events.onMediaInfo(tracks);
      },
      onData: (kind) => this.#feed.kick(kind),
    }, (mime) => MS.isTypeSupported(mime));
    this.#reader = new FlvReader(() => {}, (tag) => this.#remuxer.tag(tag));
    this.#feed.open();
    this.#transport = openFlv(this.#url, {
      onData: (bytes) => this.#data(bytes),
      onEnd: () => this.#finish('onEnd'),
      onError: (m) => this.#finish('onError', m),
    });
  }

  destroy() {
    this.#done = true;
    this.#transport?.close();
    this.#feed?.close();
    this.#transport = this.#feed = this.#remuxer = this.#reader = null;
  }

  #data(bytes) {
    if (this.#done) {
      return;
    }
    try {
      this.#reader.push(bytes);
    } catch (e) {
      if (e instanceof UnsupportedMedia) {
        this.#finish('onUnsupported', e.message);
      } else {
        this.#finish('onError', 'bad FLV: ' + e.message); // FlvError, ConfigError: the bytes are not media we can read
      }
      return;
    }
    if (this.#remuxer.pendingBytes + this.#reader.buffered > MAX_PENDING_BYTES) {
      this.#finish('onError', 'media is arriving faster than it plays (' + MAX_PENDING_BYTES + ' bytes waiting)');
    }
  }

  #finish(event, detail) {
    if (this.#done) {
      return;
    }
    this.#done = true;
    this.#transport?.close();
    this.#events[event](detail);
  }
}
