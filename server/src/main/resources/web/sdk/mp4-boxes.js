// Writes the fragmented MP4 that Media Source Extensions take (ISO/IEC 14496-12; the MSE ISO BMFF byte stream format):
// an init segment (ftyp + moov with one track and mvex) per track, then media segments (moof + mdat). One track per
// SourceBuffer, so every track is track 1. Video is timed in milliseconds (FLV's unit), audio in its sample rate.

const TRACK_ID = 1;

/** An init segment for a track: { kind: 'video', timescale, width, height, avc: { record } } or
 * { kind: 'audio', timescale, aac: { config, channels, sampleRate } }. */
export function initSegment(track) {
  const video = track.kind === 'video';
  return concat(
    box('ftyp', ascii('isom'), u32(1), ascii('isom'), ascii('iso6'), ascii('mp41')),
    box('moov',
      mvhd(),
      box('trak', tkhd(track), box('mdia', mdhd(track.timescale), hdlr(video),
        box('minf', video ? fullBox('vmhd', 0, 1, u16(0), u16(0), u16(0), u16(0)) : fullBox('smhd', 0, 0, u16(0), u16(0)),
          box('dinf', fullBox('dref', 0, 0, u32(1), fullBox('url ', 0, 1))),
          box('stbl',
            fullBox('stsd', 0, 0, u32(1), video ? avc1(track) : mp4a(track)),
            fullBox('stts', 0, 0, u32(0)),
            fullBox('stsc', 0, 0, u32(0)),
            fullBox('stsz', 0, 0, u32(0), u32(0)),
            fullBox('stco', 0, 0, u32(0)))))),
      box('mvex', fullBox('trex', 0, 0, u32(TRACK_ID), u32(1), u32(0), u32(0), u32(0)))));
}

/**
 * A media segment: samples [{ dts, duration, cts, key, data }] in decode order, times in the track's timescale, dts of
 * the first one the segment's base media decode time.
 */
export function mediaSegment(track, sequence, samples) {
  const signed = samples.some((s) => s.cts < 0);
  const entries = new Uint8Array(samples.length * 16);
  const view = new DataView(entries.buffer);
  let dataBytes = 0;
  samples.forEach((s, i) => {
    view.setUint32(i * 16, s.duration);
    view.setUint32(i * 16 + 4, s.data.byteLength);
    // sample_flags (14496-12 8.8.3.1): a key frame depends on no other and is a sync sample; others are non-sync
    view.setUint32(i * 16 + 8, s.key ? 0x02000000 : 0x01010000);
    view.setInt32(i * 16 + 12, s.cts);
    dataBytes += s.data.byteLength;
  });
  const trunHeader = 8 + 4 + 4 + 4; // box header, version and flags, sample_count, data_offset
  const moofSize = 8 + 16 + 8 + 16 + 20 + trunHeader + entries.byteLength; // moof, mfhd, traf, tfhd, tfdt, trun
  const base = samples[0].dts;
  const moof = box('moof',
    fullBox('mfhd', 0, 0, u32(sequence)),
    box('traf',
      fullBox('tfhd', 0, 0x020000, u32(TRACK_ID)), // default-base-is-moof: data offsets count from the moof
      fullBox('tfdt', 1, 0, u32(Math.floor(base / 2 ** 32)), u32(base >>> 0)),
      // data-offset, sample duration, size, flags and composition time offset present (version 1: signed offsets)
      fullBox('trun', signed ? 1 : 0, 0x000f01, u32(samples.length), u32(moofSize + 8), entries)));
  if (moof.byteLength !== moofSize) {
    throw new Error('moof size ' + moof.byteLength + ' != ' + moofSize);
  }
  const mdat = new Uint8Array(8 + dataBytes);
  new DataView(mdat.buffer).setUint32(0, mdat.byteLength);
  mdat.set(ascii('mdat'), 4);
  let at = 8;
  for (const s of samples) {
    mdat.set(s.data, at);
    at += s.data.byteLength;
  }
  return concat(moof, mdat);
}

const MATRIX = [0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000];

function mvhd() {
  return fullBox('mvhd', 0, 0, u32(0), u32(0), u32(1000), u32(0), u32(0x00010000), u16(0x0100), u16(0), u32(0), u32(0),
    ...MATRIX.map(u32), new Uint8Array(24), u32(TRACK_ID + 1));
}

function tkhd(track) {
  const video = track.kind === 'video';
  return fullBox('tkhd', 0, 3, u32(0), u32(0), u32(TRACK_ID), u32(0), u32(0), u32(0), u32(0), u16(0), u16(0),
    u16(video ? 0 : 0x0100), u16(0), ...MATRIX.map(u32), u32((track.width ?? 0) * 65536), u32((track.height ?? 0) * 65536));
}

function mdhd(timescale) {
  return fullBox('mdhd', 0, 0, u32(0), u32(0), u32(timescale), u32(0), u16(0x55c4), u16(0)); // language 'und'
}

function hdlr(video) {
  return fullBox('hdlr', 0, 0, u32(0), ascii(video ? 'vide' : 'soun'), new Uint8Array(12),
    ascii(video ? 'openlive video\0' : 'openlive audio\0'));
}

function avc1(track) {
  return box('avc1', new Uint8Array(6), u16(1), new Uint8Array(16), u16(track.width ?? 0), u16(track.height ?? 0),
    u32(0x00480000), u32(0x00480000), u32(0), u16(1), new Uint8Array(32), u16(0x0018), u16(0xffff),
    box('avcC', track.avc.record));
}

function mp4a(track) {
  const { config, channels, sampleRate } = track.aac;
  // ES_Descriptor (14496-1 7.2.6.5) > DecoderConfigDescriptor (object type 0x40: 14496-3 audio; stream type 5: audio)
  // > DecoderSpecificInfo (the AudioSpecificConfig as the stream gave it), and the SL descriptor MP4 files use (2)
  const es = descriptor(3, u16(TRACK_ID), new Uint8Array([0]),
    descriptor(4, new Uint8Array([0x40, 0x15, 0, 0, 0]), u32(0), u32(0), descriptor(5, config)),
    descriptor(6, new Uint8Array([2])));
  return box('mp4a', new Uint8Array(6), u16(1), new Uint8Array(8), u16(channels), u16(16), u16(0), u16(0),
    u32(sampleRate <= 0xffff ? sampleRate * 65536 : 0), fullBox('esds', 0, 0, es));
}

function descriptor(tag, ...parts) {
  const body = concat(...parts);
  const n = body.byteLength; // the size in 7-bit groups, high group first, always four bytes: simple and valid
  return concat(new Uint8Array([tag, 0x80 | ((n >> 21) & 0x7f), 0x80 | ((n >> 14) & 0x7f), 0x80 | ((n >> 7) & 0x7f), n & 0x7f]), body);
}

function box(type, ...parts) {
  const body = concat(...parts);
  const out = new Uint8Array(8 + body.byteLength);
  new DataView(out.buffer).setUint32(0, out.byteLength);
  out.set(ascii(type), 4);
  out.set(body, 8);
  return out;
}

function fullBox(type, version, flags, ...parts) {
  return box(type, new Uint8Array([version, (flags >> 16) & 0xff, (flags >> 8) & 0xff, flags & 0xff]), ...parts);
}

function u32(v) {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0);
  return b;
}

function u16(v) {
  return new Uint8Array([(v >> 8) & 0xff, v & 0xff]);
}

function ascii(s) {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
