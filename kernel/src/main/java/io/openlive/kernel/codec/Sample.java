package io.openlive.kernel.codec;

/**
 * One access unit of one track, as the muxers take it: times in the track's timescale (90 kHz for video, the sample rate
 * for audio), video data as length-prefixed NAL units (the record's NAL length size), audio as one raw AAC frame.
 *
 * @param decodeTime        decode time
 * @param duration          time to the next sample of the track
 * @param compositionOffset presentation time minus decode time (B-frames), 0 for audio
 * @param keyframe          a random access point (IDR); always true for audio
 */
public record Sample(long decodeTime, int duration, int compositionOffset, boolean keyframe, byte[] data) {
}
