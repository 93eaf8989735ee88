// Turns FLV tags (flv-reader.js) into fragmented MP4 for Media Source Extensions: H.264 (legacy FLV AVC and E-RTMP
// 'avc1') and AAC, one track per SourceBuffer. What it does not handle (E-RTMP HEVC/AV1/VP9, MP3, Speex, …) is reported
// as UnsupportedMedia so the player can hand the stream to mpegts.js.
//
// Time: a sample's media time is its FLV timestamp minus the base, the `onOpenliveClock` mediaTime (the timestamp of the
// viewer's first media tag) or, without one, the first media tag's timestamp. So the element's currentTime × 1000 plus
// the base is the FLV (room) timestamp of the frame on screen, as it was with mpegts.js, which also started its timeline
// at the first sample's timestamp. Timestamps are unwrapped against each track's previous one (32-bit wrap).
//
// Durations: a video sample's duration is the gap to the next sample, so the last one is held until the next arrives
// (MSE treats a decode-time gap above twice the last duration as a discontinuity and drops frames up to the next key
// frame). Audio frames are counted in samples and kept contiguous while the timestamps agree within a frame; a gap up to
// a second is folded into the frame before it, so the buffered range stays whole. Gaps above a second stay gaps.

import { aacConfig, avcConfig } from './media-config.js';
import { initSegment, mediaSegment } from './mp4-boxes.js';
import { FlvError, readScriptTag } from './flv-reader.js';

export class UnsupportedMedia extends Error {
  constructor(message) {
    super(message);
    this.name = 'UnsupportedMedia';
  }
}

const GAP_MS = 1000;
const DEFAULT_VIDEO_MS = 33;
const FOURCC_AVC = 0x61766331; // 'avc1'

export class FlvRemuxer {
  #tracks = { video: null, audio: null };
  #announced = null;
  #base = null;
  #clock = null;
  #events;
  #isTypeSupported;

  /**
   * @param events { onClock(mediaTime), onTracks([{ kind, mime }]) once the tracks are known (before their first
   *   segment), onData(kind) when a segment or an init segment is ready to pull }
   * @param isTypeSupported (mime) => boolean, MediaSource.isTypeSupported
   */
  constructor(events, isTypeSupported) {
    this.#events = events;
    this.#isTypeSupported = isTypeSupported;
  }

  /** The `onOpenliveClock` mediaTime, or null. */
  get clock() {
    return this.#clock;
  }

  /** Bytes of media waiting to be pulled (held samples included): the caller bounds it. */
  get pendingBytes() {
    let n = 0;
    for (const t of Object.values(this.#tracks)) {
      if (t) {
        n += t.pending;
      }
    }
    return n;
  }

  /** One FLV tag; throws FlvError for malformed media, UnsupportedMedia for a codec this remuxer does not handle. */
  tag({ type, timestamp, body }) {
    if (type === 18) {
      const script = readScriptTag(body);
      const mediaTime = script?.name === 'onOpenliveClock' ? script.value?.mediaTime : undefined;
      if (typeof mediaTime === 'number' && Number.isFinite(mediaTime) && this.#clock == null) {
        this.#clock = mediaTime;
        this.#base ??= mediaTime >>> 0;
        this.#events.onClock(mediaTime);
      }
    } else if (type === 9) {
      this.#video(timestamp, body);
    } else if (type === 8) {
      this.#audio(timestamp, body);
    }
  }

  /**
   * The next thing to append for a track, in order: { init, mime } (an init segment, with the SourceBuffer type it
   * needs) or { segment }; null when nothing is waiting.
   */
  pull(kind) {
    const t = this.#tracks[kind];
    const item = t?.out.shift();
    if (!item) {
      return null;
    }
    if (item.init) {
      return { init: initSegment(item.init), mime: item.init.mime };
    }
    t.pending -= item.bytes;
    return { segment: mediaSegment(t, t.sequence++, item.samples) };
  }

  /** Releases the held samples (the stream ended): their durations are estimated. */
  flush() {
    for (const t of Object.values(this.#tracks)) {
      if (t?.held) {
        this.#release(t, t.held.dts + t.lastDuration);
      }
    }
  }

  #video(timestamp, body) {
    if (body.byteLength < 1) {
      return;
    }
    const b0 = body[0];
    let frameType;
    let packet;
    let cts = 0;
    let data;
    if (b0 & 0x80) { // E-RTMP extended header: frame type, packet type, FourCC
      frameType = (b0 >> 4) & 7;
      const packetType = b0 & 0x0f;
      if (frameType === 5 && packetType !== 4) {
        return; // a command frame
      }
      if (body.byteLength < 5) {
        throw new FlvError('E-RTMP video tag cut short');
      }
      const fourcc = new DataView(body.buffer, body.byteOffset, body.byteLength).getUint32(1);
      if (fourcc !== FOURCC_AVC) {
        throw new UnsupportedMedia('E-RTMP video codec ' + String.fromCharCode(...body.subarray(1, 5)));
      }
      if (packetType === 0) {
        packet = 'config';
        data = body.subarray(5);
      } else if (packetType === 1) {
        if (body.byteLength < 8) {
          throw new FlvError('E-RTMP AVC frame cut short');
        }
        cts = si24(body, 5);
        packet = 'frame';
        data = body.subarray(8);
      } else if (packetType === 3) {
        packet = 'frame';
        data = body.subarray(5);
      } else if (packetType === 2 || packetType === 4) {
        return; // end of sequence, metadata
      } else {
        throw new UnsupportedMedia('E-RTMP video packet type ' + packetType);
      }
    } else {
      frameType = b0 >> 4;
      const codec = b0 & 0x0f;
      if (frameType === 5) {
        return; // video info / command frame
      }
      if (codec !== 7) {
        throw new UnsupportedMedia('FLV video codec id ' + codec);
      }
      if (body.byteLength < 5) {
        throw new FlvError('AVC video tag cut short');
      }
      const packetType = body[1];
      if (packetType === 2) {
        return; // end of sequence
      }
      if (packetType > 2) {
        throw new FlvError('AVC packet type ' + packetType);
      }
      packet = packetType === 0 ? 'config' : 'frame';
      cts = si24(body, 2);
      data = body.subarray(5);
    }
    if (packet === 'config') {
      const avc = avcConfig(data);
      this.#configure('video', { kind: 'video', timescale: 1000, mime: 'video/mp4; codecs="' + avc.codec + '"',
        width: avc.width, height: avc.height, avc, key: data });
      return;
    }
    const t = this.#trackFor('video', timestamp);
    if (!t) {
      return;
    }
    checkNalUnits(data, t.config.avc.lengthSize);
    const key = frameType === 1;
    if (t.needKey && !key) {
      return; // a decoder starts at a key frame
    }
    t.needKey = false;
    const rel = this.#rel(t, timestamp);
    if (rel < 0) {
      return; // before the clock's base: not on this viewer's timeline
    }
    let dts = rel;
    if (t.held) {
      if (dts <= t.held.dts) {
        dts = t.held.dts + 1; // decode times must rise; a ms off the timestamp is below what anyone sees
      }
      this.#release(t, dts - t.held.dts > GAP_MS ? t.held.dts + t.lastDuration : dts);
    }
    t.held = { dts, cts, key, data, duration: 0 };
    t.pending += data.byteLength;
  }

  #audio(timestamp, body) {
    if (body.byteLength < 1) {
      return;
    }
    const format = body[0] >> 4;
    if (format !== 10) {
      throw new UnsupportedMedia('FLV audio format ' + (AUDIO_FORMATS[format] ?? format));
    }
    if (body.byteLength < 2) {
      throw new FlvError('AAC audio tag cut short');
    }
    const data = body.subarray(2);
    if (body[1] === 0) {
      const aac = aacConfig(data);
      this.#configure('audio', { kind: 'audio', timescale: aac.sampleRate, mime: 'audio/mp4; codecs="' + aac.codec + '"',
        aac, key: data });
      return;
    }
    if (body[1] !== 1) {
      throw new FlvError('AAC packet type ' + body[1]);
    }
    const t = this.#trackFor('audio', timestamp);
    if (!t || !data.byteLength) {
      return;
    }
    const rel = this.#rel(t, timestamp);
    if (rel < 0) {
      return;
    }
    const frame = t.config.aac.frameLength;
    const rate = t.config.aac.sampleRate;
    let dts = Math.round(rel * rate / 1000);
    if (t.next != null) {
      if (Math.abs(dts - t.next) <= frame) {
        dts = t.next; // within a frame of where it should be: ms timestamps are rounded, the samples are not
      } else if (dts < t.next) {
        return; // more than a frame into time already played: a step back of the timestamps, dropped
      }
    }
    if (t.held) {
      this.#release(t, dts - t.held.dts > rate * GAP_MS / 1000 ? t.held.dts + frame : dts);
    }
    t.held = { dts, cts: 0, key: true, data, duration: 0 };
    t.next = dts + frame;
    t.pending += data.byteLength;
  }

  /** A sequence header: the first makes the track, a changed one (a publisher reconnect) a new init segment. */
  #configure(kind, config) {
    let t = this.#tracks[kind];
    if (t && equal(t.config.key, config.key)) {
      return; // sent again unchanged (a publisher that reconnected, a viewer skipped to the live edge)
    }
    if (!this.#isTypeSupported(config.mime)) {
      throw new UnsupportedMedia(config.mime + ' is not supported by this browser');
    }
    if (!t) {
      t = { kind, config, out: [], held: null, pending: 0, sequence: 1, lastTs: null, lastRel: 0, lastDuration: 0,
        next: null, needKey: true, timescale: config.timescale };
      this.#tracks[kind] = t;
    } else if (t.held) {
      this.#release(t, t.held.dts + (kind === 'video' ? t.lastDuration || DEFAULT_VIDEO_MS : t.config.aac.frameLength));
    }
    t.config = config;
    t.timescale = config.timescale;
    t.needKey = true;
    t.next = null; // audio: a new configuration (maybe another sample rate) counts from the timestamps again
    t.out.push({ init: config });
    if (this.#announced?.includes(kind)) {
      this.#events.onData(kind);
    }
  }

  /** The track a media frame goes to, or null: the first frame announces the tracks that have a configuration. */
  #trackFor(kind, timestamp) {
    const t = this.#tracks[kind];
    if (!t) {
      return null; // no sequence header yet: nothing can decode it
    }
    this.#base ??= timestamp;
    if (!this.#announced) {
      this.#announced = Object.keys(this.#tracks).filter((k) => this.#tracks[k]);
      this.#events.onTracks(this.#announced.map((k) => ({ kind: k, mime: this.#tracks[k].config.mime })));
    }
    return this.#announced.includes(kind) ? t : null; // a track that appeared later has no SourceBuffer
  }

  /** Milliseconds from the base, unwrapped against the track's previous timestamp. */
  #rel(t, timestamp) {
    const rel = t.lastTs == null ? (timestamp - this.#base) | 0 : t.lastRel + ((timestamp - t.lastTs) | 0);
    t.lastTs = timestamp;
    t.lastRel = rel;
    return rel;
  }

  /** Gives the held sample its duration (up to `nextDts`) and queues it for the next media segment. */
  #release(t, nextDts) {
    const s = t.held;
    t.held = null;
    s.duration = Math.max(1, nextDts - s.dts);
    if (t.kind === 'video') {
      t.lastDuration = s.duration;
    }
    const last = t.out.at(-1);
    const prev = last?.samples?.at(-1);
    if (prev && prev.dts + prev.duration === s.dts) { // a media segment's samples follow each other without a gap
      last.samples.push(s);
      last.bytes += s.data.byteLength;
    } else {
      t.out.push({ samples: [s], bytes: s.data.byteLength });
    }
    this.#events.onData(t.kind);
  }
}

const AUDIO_FORMATS = { 0: 'PCM', 1: 'ADPCM', 2: 'MP3', 3: 'PCM', 4: 'Nellymoser', 5: 'Nellymoser', 6: 'Nellymoser',
  7: 'G.711', 8: 'G.711', 9: 'E-RTMP', 11: 'Speex', 14: 'MP3 8 kHz' };

function si24(b, at) {
  return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8)) >> 8;
}

/** Length-prefixed NAL units that fill the frame exactly: anything else is corrupt and would upset the decoder. */
function checkNalUnits(data, lengthSize) {
  let at = 0;
  while (at < data.byteLength) {
    if (at + lengthSize > data.byteLength) {
      throw new FlvError('AVC frame: a NAL unit length is cut short');
    }
    let n = 0;
    for (let i = 0; i < lengthSize; i++) {
      n = n * 256 + data[at + i];
    }
    at += lengthSize + n;
  }
  if (at !== data.byteLength) {
    throw new FlvError('AVC frame: NAL unit lengths run past the frame');
  }
}

function equal(a, b) {
  if (a.byteLength !== b.byteLength) {
    return false;
  }
  for (let i = 0; i < a.byteLength; i++) {
    if (a[i] !== b[i]) {
      return false;
    }
  }
  return true;
}
