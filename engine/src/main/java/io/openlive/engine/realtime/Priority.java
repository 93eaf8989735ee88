package io.openlive.engine.realtime;

/**
 * How a room message is treated under load. {@code HIGH} (system, product pins, gifts, deletions) is never dropped;
 * {@code NORMAL} (comments, component topics) may be sampled in a busy room or dropped for a viewer that cannot keep up;
 * {@code EPHEMERAL} (like totals, presence) has no sequence number or history: only the latest value matters.
 */
public enum Priority {
    HIGH, NORMAL, EPHEMERAL;

    public char code() {
        return name().charAt(0);
    }

    public static Priority of(char code) {
        return switch (code) {
            case 'H' -> HIGH;
            case 'N' -> NORMAL;
            case 'E' -> EPHEMERAL;
            default -> throw new IllegalArgumentException("priority code " + code);
        };
    }
}
