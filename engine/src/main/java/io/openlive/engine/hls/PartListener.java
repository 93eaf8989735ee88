package io.openlive.engine.hls;

/**
 * Told of every part a {@link Segmenter} completes, with the init segment it needs, and of the end of the stream; called
 * on the segmenter's executor, so it must hand slow work (disk) elsewhere. The recorder is one.
 */
public interface PartListener {
    void onPart(HlsPart part, int initVersion, byte[] init);

    void onEnd(String reason);
}
