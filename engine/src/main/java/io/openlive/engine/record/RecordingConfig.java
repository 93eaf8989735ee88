package io.openlive.engine.record;

import java.nio.file.Path;

/**
 * Where recordings go and how much disk they may take.
 *
 * @param dir             recordings directory, one folder per room
 * @param maxBytesPerRoom disk a room's recordings may use; the oldest finished ones are pruned first, default 20 GiB
 * @param maxBytesTotal   disk all recordings may use, same policy, default 200 GiB
 */
public record RecordingConfig(Path dir, long maxBytesPerRoom, long maxBytesTotal) {
    public static RecordingConfig in(Path dir) {
        return new RecordingConfig(dir, 20L << 30, 200L << 30);
    }

    public RecordingConfig withCaps(long perRoom, long total) {
        return new RecordingConfig(dir, perRoom, total);
    }
}
