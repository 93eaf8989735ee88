// Reads an FLV byte stream (Adobe FLV v10.1, annex E) incrementally: bytes come in chunks cut anywhere (a WebSocket
// message per tag, HTTP chunks of any size), tags go out whole. Memory is bounded: at most one tag (MAX_TAG_BYTES) is
// held while it is incomplete, and anything that is not FLV (a bad signature, an unknown tag type, a size beyond the
// bound, a PreviousTagSize that does not match) throws an FlvError instead of waiting for bytes that will never fit.

/** The largest tag body accepted: a 4K key frame is a few MB; more is a corrupt size field, not media. */
export const MAX_TAG_BYTES = 8 * 1024 * 1024;

const TAG_HEADER = 11;

export class FlvError extends Error {
  constructor(message) {
    super(message);
    this.name = 'FlvError';
  }
}

export class FlvReader {
  #chunks = [];
  #offset = 0; // into #chunks[0]
  #available = 0;
  #state = 'signature';
  #dataOffset = 9;
  #tag = null;
  #onHeader;
  #onTag;

  /**
   * @param onHeader ({ audio, video }) => void: the header's track flags
   * @param onTag ({ type: 8|9|18, timestamp, body: Uint8Array }) => void, timestamp the unsigned 32-bit ms of the tag
   */
  constructor(onHeader, onTag) {
    this.#onHeader = onHeader;
    this.#onTag = onTag;
  }

  /** Bytes held, waiting for the rest of their tag. */
  get buffered() {
    return this.#available;
  }

  /** Takes the next chunk; calls back for every tag it completes; throws FlvError on bytes that are not FLV. */
  push(bytes) {
    if (!bytes.byteLength) {
      return;
    }
    this.#chunks.push(bytes);
    this.#available += bytes.byteLength;
    for (;;) {
      if (this.#state === 'signature') {
        if (this.#available < 9) {
          return;
        }
        const h = this.#take(9);
        if (h[0] !== 0x46 || h[1] !== 0x4c || h[2] !== 0x56) { // 'FLV'
          throw new FlvError('not an FLV stream (bad signature)');
        }
        this.#dataOffset = ((h[5] << 24) | (h[6] << 16) | (h[7] << 8) | h[8]) >>> 0;
        if (this.#dataOffset < 9 || this.#dataOffset > 1024) {
          throw new FlvError('FLV header size ' + this.#dataOffset + ' out of range');
        }
        this.#onHeader({ audio: (h[4] & 0x04) !== 0, video: (h[4] & 0x01) !== 0 });
        this.#state = 'header-rest';
      } else if (this.#state === 'header-rest') {
        const rest = this.#dataOffset - 9 + 4; // any extension of the header, then PreviousTagSize0
        if (this.#available < rest) {
          return;
        }
        this.#take(rest);
        this.#state = 'tag-header';
      } else if (this.#state === 'tag-header') {
        if (this.#available < TAG_HEADER) {
          return;
        }
        const t = this.#take(TAG_HEADER);
        if (t[0] & 0x20) {
          throw new FlvError('encrypted FLV tags (filter bit) are not supported');
        }
        const type = t[0] & 0x1f;
        if (type !== 8 && type !== 9 && type !== 18) {
          throw new FlvError('unknown FLV tag type ' + type);
        }
        const size = (t[1] << 16) | (t[2] << 8) | t[3];
        if (size > MAX_TAG_BYTES) {
          throw new FlvError('FLV tag of ' + size + ' bytes exceeds the limit of ' + MAX_TAG_BYTES);
        }
        const timestamp = ((t[7] << 24) | (t[4] << 16) | (t[5] << 8) | t[6]) >>> 0; // TimestampExtended is the top byte
        this.#tag = { type, timestamp, size };
        this.#state = 'tag-body';
      } else {
        const tag = this.#tag;
        if (this.#available < tag.size + 4) {
          return;
        }
        const body = this.#take(tag.size);
        const p = this.#take(4);
        const previous = ((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0;
        if (previous !== tag.size + TAG_HEADER) {
          throw new FlvError('PreviousTagSize ' + previous + ' does not match the tag (' + (tag.size + TAG_HEADER) + ')');
        }
        this.#tag = null;
        this.#state = 'tag-header';
        this.#onTag({ type: tag.type, timestamp: tag.timestamp, body });
      }
    }
  }

  /** The next n bytes (n <= available): a view into one chunk when they lie in it, else a copy. */
  #take(n) {
    this.#available -= n;
    const first = this.#chunks[0];
    if (first && first.byteLength - this.#offset >= n) {
      const out = first.subarray(this.#offset, this.#offset + n);
      this.#offset += n;
      if (this.#offset === first.byteLength) {
        this.#chunks.shift();
        this.#offset = 0;
      }
      return out;
    }
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const c = this.#chunks[0];
      const count = Math.min(n - filled, c.byteLength - this.#offset);
      out.set(c.subarray(this.#offset, this.#offset + count), filled);
      filled += count;
      this.#offset += count;
      if (this.#offset === c.byteLength) {
        this.#chunks.shift();
        this.#offset = 0;
      }
    }
    return out;
  }
}

/**
 * The value of an FLV script data tag (AMF0, FLV v10.1 E.4.4.1): { name, value }, or null when it is not AMF0 that this
 * small reader knows (script data is metadata: a tag it cannot read is skipped, never a stream error).
 */
export function readScriptTag(body) {
  try {
    const r = new Amf0(body);
    const name = r.value(0);
    return typeof name === 'string' ? { name, value: r.value(0) } : null;
  } catch {
    return null;
  }
}

class Amf0 {
  #bytes;
  #view;
  #pos = 0;

  constructor(bytes) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  value(depth) {
    if (depth > 16) {
      throw new Error('AMF0 nested too deep');
    }
    const type = this.#u8();
    switch (type) {
      case 0: { const v = this.#view.getFloat64(this.#pos); this.#pos += 8; return v; }
      case 1: return this.#u8() !== 0;
      case 2: return this.#string(this.#u16());
      case 3: return this.#properties(depth, {});
      case 5: case 6: return null;
      case 8: this.#pos += 4; return this.#properties(depth, {}); // ECMA array: an approximate count, then properties
      case 10: {
        const n = this.#u32();
        if (n > 65536) {
          throw new Error('AMF0 array too long');
        }
        const out = [];
        for (let i = 0; i < n; i++) {
          out.push(this.value(depth + 1));
        }
        return out;
      }
      case 11: { const v = this.#view.getFloat64(this.#pos); this.#pos += 10; return v; } // date: ms, then a time zone
      case 12: return this.#string(this.#u32());
      default: throw new Error('AMF0 type ' + type);
    }
  }

  #properties(depth, out) {
    for (;;) {
      const key = this.#string(this.#u16());
      if (key === '' && this.#bytes[this.#pos] === 9) {
        this.#pos++;
        return out;
      }
      out[key] = this.value(depth + 1);
    }
  }

  #u8() {
    return this.#view.getUint8(this.#pos++);
  }

  #u16() {
    const v = this.#view.getUint16(this.#pos);
    this.#pos += 2;
    return v;
  }

  #u32() {
    const v = this.#view.getUint32(this.#pos);
    this.#pos += 4;
    return v;
  }

  #string(n) {
    if (this.#pos + n > this.#bytes.byteLength) {
      throw new Error('AMF0 string past the end');
    }
    const s = new TextDecoder().decode(this.#bytes.subarray(this.#pos, this.#pos + n));
    this.#pos += n;
    return s;
  }
}
