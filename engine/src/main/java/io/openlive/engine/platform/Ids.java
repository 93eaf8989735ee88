package io.openlive.engine.platform;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/** Identifiers and secrets of the platform: random, prefixed by what they name, never derived from each other. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "abcdefghijkmnopqrstuvwxyz23456789".toCharArray();
    private static final AtomicLong LAST = new AtomicLong();

    private Ids() {
    }

    /** {@code prefix_} and 12 characters (~60 bits): host apps, developers, versions, keys. */
    public static String newId(String prefix) {
        return prefix + "_" + random(12);
    }

    /** {@code prefix_} and 40 characters (~200 bits): API keys and app secrets. */
    public static String newSecret(String prefix) {
        return prefix + "_" + random(40);
    }

    /** Ids that sort in creation order within this process (audit rows): 16 hex digits of a strictly rising clock. */
    public static String timeOrdered(String prefix, long millis) {
        long micros = millis * 1000;
        long v = LAST.updateAndGet(last -> Math.max(last + 1, micros));
        return prefix + "_" + String.format("%016x", v) + random(4);
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String random(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }
}
