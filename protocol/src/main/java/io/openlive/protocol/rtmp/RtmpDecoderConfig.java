package io.openlive.protocol.rtmp;

/**
 * Limits of {@link RtmpChunkDecoder}.
 *
 * @param maxMessageSize     largest message accepted, bytes (default {@link #DEFAULT_MAX_MESSAGE_SIZE}); a declared length
 *                           above it fails the connection before any byte of it is buffered
 * @param maxChunkStreams    most chunk streams one connection may open (default {@link #DEFAULT_MAX_CHUNK_STREAMS});
 *                           encoders use fewer than ten
 * @param maxPendingBytes    most bytes held in partly received messages over all chunk streams (default
 *                           {@link #DEFAULT_MAX_PENDING_BYTES})
 */
public record RtmpDecoderConfig(int maxMessageSize, int maxChunkStreams, int maxPendingBytes) {
    /** 8 MiB: several times the largest 4K key frame an encoder sends at streaming bit rates. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 8 << 20;
    public static final int DEFAULT_MAX_CHUNK_STREAMS = 64;
    public static final int DEFAULT_MAX_PENDING_BYTES = 16 << 20;

    /**
     * Until a connection publishes: commands only, so 64 KiB messages (a connect command is a few hundred bytes), 16 chunk
     * streams and 128 KiB pending. A client that has not proved a stream key cannot make the node buffer megabytes.
     */
    public static RtmpDecoderConfig beforePublish() {
        return new RtmpDecoderConfig(64 * 1024, 16, 128 * 1024);
    }

    public static RtmpDecoderConfig defaults() {
        return new RtmpDecoderConfig(DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_MAX_CHUNK_STREAMS, DEFAULT_MAX_PENDING_BYTES);
    }
}
