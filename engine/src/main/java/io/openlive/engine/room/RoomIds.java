package io.openlive.engine.room;

import java.security.SecureRandom;

/** Public room ids and secret stream keys, drawn independently from a secure random source. */
public final class RoomIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "abcdefghijkmnopqrstuvwxyz23456789".toCharArray();

    private RoomIds() {
    }

    /** {@code r} followed by 10 characters: short enough for a URL, ~50 bits against guessing. */
    public static String newRoomId() {
        return "r" + random(10);
    }

    /** {@code sk_} followed by 26 characters, ~130 bits. */
    public static String newStreamKey() {
        return "sk_" + random(26);
    }

    private static String random(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }
}
