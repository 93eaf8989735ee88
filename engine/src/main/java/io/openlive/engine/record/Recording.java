package io.openlive.engine.record;

import java.time.Instant;

/**
 * One recording of a room, as the API shows it.
 *
 * @param status {@code recording}, {@code finalising}, {@code done} (a faststart MP4), {@code interrupted} (the server
 *               stopped while recording; the fragmented file plays and is finalised at the next start), {@code stopped}
 *               (a disk cap or a full disk ended it; what was written plays) or {@code failed}
 * @param reason why it stopped, for {@code stopped} and {@code failed}
 * @param duration seconds of media, for a finished ({@code done}) recording; null otherwise
 */
public record Recording(String id, String roomId, Instant startedAt, Instant endedAt, long bytes, String status, String reason,
                        Double duration) {
}
