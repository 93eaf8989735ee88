// Reads the decoder configurations an FLV stream carries in its sequence headers, for the MP4 init segment and the MSE
// codec string: the AVCDecoderConfigurationRecord (ISO/IEC 14496-15 5.3.3.1) with the picture size from its first
// sequence parameter set (ITU-T H.264 7.3.2.1.1), and the AAC AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1).

export class ConfigError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ConfigError';
  }
}

const hex = (n) => n.toString(16).padStart(2, '0');

/** { codec: 'avc1.PPCCLL', record, lengthSize, width, height } of an AVCDecoderConfigurationRecord. */
export function avcConfig(record) {
  if (record.byteLength < 7 || record[0] !== 1) {
    throw new ConfigError('not an AVCDecoderConfigurationRecord');
  }
  const lengthSize = (record[4] & 3) + 1;
  const spsCount = record[5] & 0x1f;
  if (spsCount < 1 || record.byteLength < 8) {
    throw new ConfigError('AVC configuration without a sequence parameter set');
  }
  const spsLength = (record[6] << 8) | record[7];
  if (8 + spsLength > record.byteLength) {
    throw new ConfigError('AVC configuration cut short');
  }
  let size = { width: 0, height: 0 };
  try {
    size = spsSize(record.subarray(8, 8 + spsLength));
  } catch {
    // the size only fills the init segment's boxes; the decoder reads the SPS itself
  }
  return { codec: 'avc1.' + hex(record[1]) + hex(record[2]) + hex(record[3]), record, lengthSize, ...size };
}

/** The cropped picture size a sequence parameter set NAL unit describes. */
export function spsSize(nal) {
  const r = new BitReader(unescape(nal.subarray(1)));
  const profile = r.bits(8);
  r.bits(16); // constraint flags, level
  r.ue(); // seq_parameter_set_id
  let chromaFormat = 1;
  let separateColourPlanes = 0;
  if ([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135].includes(profile)) {
    chromaFormat = r.ue();
    if (chromaFormat === 3) {
      separateColourPlanes = r.bits(1);
    }
    r.ue(); // bit_depth_luma_minus8
    r.ue(); // bit_depth_chroma_minus8
    r.bits(1); // qpprime_y_zero_transform_bypass_flag
    if (r.bits(1)) { // seq_scaling_matrix_present_flag
      for (let i = 0; i < (chromaFormat !== 3 ? 8 : 12); i++) {
        if (r.bits(1)) {
          skipScalingList(r, i < 6 ? 16 : 64);
        }
      }
    }
  }
  r.ue(); // log2_max_frame_num_minus4
  const pocType = r.ue();
  if (pocType === 0) {
    r.ue();
  } else if (pocType === 1) {
    r.bits(1);
    r.se();
    r.se();
    const cycle = r.ue();
    for (let i = 0; i < cycle; i++) {
      r.se();
    }
  }
  r.ue(); // max_num_ref_frames
  r.bits(1); // gaps_in_frame_num_value_allowed_flag
  const widthMbs = r.ue() + 1;
  const heightMapUnits = r.ue() + 1;
  const frameMbsOnly = r.bits(1);
  if (!frameMbsOnly) {
    r.bits(1); // mb_adaptive_frame_field_flag
  }
  r.bits(1); // direct_8x8_inference_flag
  let crop = [0, 0, 0, 0];
  if (r.bits(1)) {
    crop = [r.ue(), r.ue(), r.ue(), r.ue()]; // left, right, top, bottom
  }
  const arrayType = separateColourPlanes ? 0 : chromaFormat;
  const cropX = arrayType === 0 ? 1 : (arrayType === 3 ? 1 : 2);
  const cropY = (arrayType === 0 ? 1 : (arrayType === 1 ? 2 : 1)) * (2 - frameMbsOnly);
  return {
    width: widthMbs * 16 - cropX * (crop[0] + crop[1]),
    height: (2 - frameMbsOnly) * heightMapUnits * 16 - cropY * (crop[2] + crop[3]),
  };
}

function skipScalingList(r, size) {
  let last = 8;
  let next = 8;
  for (let j = 0; j < size; j++) {
    if (next !== 0) {
      next = (last + r.se() + 256) % 256;
    }
    last = next === 0 ? last : next;
  }
}

/** The RBSP of a NAL unit: emulation prevention bytes (0x000003) taken out. */
function unescape(bytes) {
  const out = new Uint8Array(bytes.byteLength);
  let n = 0;
  let zeros = 0;
  for (const b of bytes) {
    if (zeros >= 2 && b === 3) {
      zeros = 0;
      continue;
    }
    zeros = b === 0 ? zeros + 1 : 0;
    out[n++] = b;
  }
  return out.subarray(0, n);
}

class BitReader {
  #bytes;
  #bit = 0;

  constructor(bytes) {
    this.#bytes = bytes;
  }

  bits(n) {
    let v = 0;
    for (let i = 0; i < n; i++) {
      const byte = this.#bytes[this.#bit >> 3];
      if (byte === undefined) {
        throw new ConfigError('parameter set cut short');
      }
      v = v * 2 + ((byte >> (7 - (this.#bit & 7))) & 1);
      this.#bit++;
    }
    return v;
  }

  /** Exp-Golomb ue(v) (H.264 9.1). */
  ue() {
    let zeros = 0;
    while (this.bits(1) === 0) {
      if (++zeros > 31) {
        throw new ConfigError('bad Exp-Golomb code');
      }
    }
    return 2 ** zeros - 1 + this.bits(zeros);
  }

  se() {
    const k = this.ue();
    return k % 2 ? (k + 1) / 2 : -k / 2;
  }
}

const AAC_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

/**
 * { codec: 'mp4a.40.N', config, sampleRate, channels, frameLength } of an AudioSpecificConfig. sampleRate is the core
 * rate the frames are counted in (an SBR stream plays at twice it); frameLength the samples per frame (1024 or 960).
 */
export function aacConfig(config) {
  if (config.byteLength < 2) {
    throw new ConfigError('AudioSpecificConfig cut short');
  }
  const r = new BitReader(config);
  let objectType = r.bits(5);
  if (objectType === 31) {
    objectType = 32 + r.bits(6);
  }
  const rateIndex = r.bits(4);
  const sampleRate = rateIndex === 15 ? r.bits(24) : AAC_RATES[rateIndex];
  if (!sampleRate) {
    throw new ConfigError('AAC sampling frequency index ' + rateIndex + ' is reserved');
  }
  const channels = r.bits(4);
  let core = objectType;
  if (objectType === 5 || objectType === 29) { // explicit SBR / PS: the extension rate, then the core object type
    const ext = r.bits(4);
    if (ext === 15) {
      r.bits(24);
    }
    core = r.bits(5);
    if (core === 31) {
      core = 32 + r.bits(6);
    }
  }
  let frameLength = 1024;
  if ([1, 2, 3, 4, 6, 7, 17, 19, 20, 21, 22, 23].includes(core)) {
    frameLength = r.bits(1) ? 960 : 1024; // GASpecificConfig frameLengthFlag
  }
  return { codec: 'mp4a.40.' + objectType, config, sampleRate, channels: channels || 2, frameLength };
}
