package io.openlive.protocol.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The RTMP handshake as pure functions over C0/C1/S0/S1/S2 bytes (RTMP specification 1.0, section 5.2).
 *
 * <p>Two variants are answered. The plain one of the specification: S1 is time, zero and random bytes, S2 echoes C1.
 * The digest one that Flash Player 9+, ffmpeg, OBS and librtmp send when C1's version field is non-zero: C1 carries an
 * HMAC-SHA256 digest at a position derived from its own bytes (two layouts exist, "key first" and "digest first"); the
 * server answers with S1 digested the same way and S2 signed with a key derived from the client's digest. Clients that
 * validate the server (ffmpeg does) refuse a plain answer to a digest C1, so the variant must match.
 */
public final class Handshake {
    /** Size of C1, S1, C2 and S2. */
    public static final int PACKET_SIZE = 1536;
    public static final int VERSION = 3;

    private static final int DIGEST_LENGTH = 32;
    private static final byte[] FMS_KEY = key("Genuine Adobe Flash Media Server 001");
    private static final byte[] FP_KEY = key("Genuine Adobe Flash Player 001");
    /** Server version we announce in S1 for the digest variant. */
    private static final int SERVER_VERSION = 0x04050001;

    private Handshake() {
    }

    /** The two places where a digest may sit in C1/S1: bytes 8–11 or 772–775 hold the offset seed. */
    enum Layout {
        DIGEST_FIRST(8), KEY_FIRST(772);

        final int seedAt;

        Layout(int seedAt) {
            this.seedAt = seedAt;
        }

        int digestOffset(ByteBuf packet, int base) {
            int sum = 0;
            for (int i = 0; i < 4; i++) {
                sum += packet.getUnsignedByte(base + seedAt + i);
            }
            return seedAt + 4 + (sum % 728);
        }
    }

    /**
     * Builds S0+S1+S2 (1 + 1536 + 1536 bytes) answering {@code c0c1}, which must hold at least 1537 readable bytes
     * (they are not consumed).
     */
    public static ByteBuf serverResponse(ByteBufAllocator alloc, ByteBuf c0c1) {
        int c1 = c0c1.readerIndex() + 1;
        ByteBuf out = alloc.buffer(1 + 2 * PACKET_SIZE);
        out.writeByte(VERSION);
        boolean clientUsesDigest = c0c1.getInt(c1 + 4) != 0;
        byte[] clientDigest = null;
        Layout layout = null;
        if (clientUsesDigest) {
            for (Layout candidate : Layout.values()) {
                byte[] digest = validDigest(c0c1, c1, candidate, FP_KEY);
                if (digest != null) {
                    clientDigest = digest;
                    layout = candidate;
                    break;
                }
            }
        }
        if (clientDigest == null) {
            writePlainS1(out);
            out.writeBytes(c0c1, c1, PACKET_SIZE); // S2 echoes C1 (5.2.4)
            return out;
        }
        int s1 = out.writerIndex();
        out.writeInt((int) (System.currentTimeMillis() / 1000));
        out.writeInt(SERVER_VERSION);
        writeRandom(out, PACKET_SIZE - 8);
        sign(out, s1, layout, FMS_KEY);
        int s2 = out.writerIndex();
        writeRandom(out, PACKET_SIZE);
        byte[] s2Key = hmac(fullKey(KEY_TAIL), clientDigest, 0, clientDigest.length);
        byte[] s2Digest = hmac(s2Key, out, s2, PACKET_SIZE - DIGEST_LENGTH);
        out.setBytes(s2 + PACKET_SIZE - DIGEST_LENGTH, s2Digest);
        return out;
    }

    /** C0+C1 of a plain client handshake, which every server accepts. */
    public static ByteBuf clientHello(ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(1 + PACKET_SIZE);
        out.writeByte(VERSION);
        writePlainS1(out);
        return out;
    }

    /** C2 for a plain client: the echo of S1 (5.2.4). {@code s0s1} must hold S0 and S1 readable; they are not consumed. */
    public static ByteBuf clientAck(ByteBufAllocator alloc, ByteBuf s0s1) {
        ByteBuf out = alloc.buffer(PACKET_SIZE);
        out.writeBytes(s0s1, s0s1.readerIndex() + 1, PACKET_SIZE);
        return out;
    }

    /** True if S1 (starting at {@code s1}) carries a valid server digest in either layout; used by tests and clients. */
    public static boolean hasValidServerDigest(ByteBuf packet, int s1) {
        for (Layout layout : Layout.values()) {
            if (validDigest(packet, s1, layout, FMS_KEY) != null) {
                return true;
            }
        }
        return false;
    }

    /** Signs a C1 built by a digest-speaking client; used by tests to play the part of ffmpeg or OBS. */
    static void signClientPacket(ByteBuf packet, int base, Layout layout) {
        sign(packet, base, layout, FP_KEY);
    }

    private static void writePlainS1(ByteBuf out) {
        out.writeInt((int) (System.currentTimeMillis() / 1000));
        out.writeInt(0);
        writeRandom(out, PACKET_SIZE - 8);
    }

    private static void writeRandom(ByteBuf out, int length) {
        byte[] random = new byte[length];
        ThreadLocalRandom.current().nextBytes(random);
        out.writeBytes(random);
    }

    private static void sign(ByteBuf packet, int base, Layout layout, byte[] key) {
        int offset = layout.digestOffset(packet, base);
        byte[] digest = digestExcluding(packet, base, offset, key);
        packet.setBytes(base + offset, digest);
    }

    private static byte[] validDigest(ByteBuf packet, int base, Layout layout, byte[] key) {
        int offset = layout.digestOffset(packet, base);
        byte[] expected = digestExcluding(packet, base, offset, key);
        byte[] actual = new byte[DIGEST_LENGTH];
        packet.getBytes(base + offset, actual);
        return MessageDigest.isEqual(expected, actual) ? actual : null;
    }

    /** HMAC-SHA256 over the 1536-byte packet with the 32 digest bytes at {@code offset} left out. */
    private static byte[] digestExcluding(ByteBuf packet, int base, int offset, byte[] key) {
        Mac mac = mac(key);
        update(mac, packet, base, offset);
        update(mac, packet, base + offset + DIGEST_LENGTH, PACKET_SIZE - offset - DIGEST_LENGTH);
        return mac.doFinal();
    }

    private static byte[] hmac(byte[] key, ByteBuf data, int from, int length) {
        Mac mac = mac(key);
        update(mac, data, from, length);
        return mac.doFinal();
    }

    private static byte[] hmac(byte[] key, byte[] data, int from, int length) {
        Mac mac = mac(key);
        mac.update(data, from, length);
        return mac.doFinal();
    }

    private static void update(Mac mac, ByteBuf data, int from, int length) {
        byte[] bytes = new byte[length];
        data.getBytes(from, bytes);
        mac.update(bytes);
    }

    private static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static byte[] key(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** The 32 bytes that follow the text part of both well-known handshake keys. */
    private static final byte[] KEY_TAIL = {
            (byte) 0xF0, (byte) 0xEE, (byte) 0xC2, (byte) 0x4A, (byte) 0x80, (byte) 0x68, (byte) 0xBE, (byte) 0xE8,
            (byte) 0x2E, (byte) 0x00, (byte) 0xD0, (byte) 0xD1, (byte) 0x02, (byte) 0x9E, (byte) 0x7E, (byte) 0x57,
            (byte) 0x6E, (byte) 0xEC, (byte) 0x5D, (byte) 0x2D, (byte) 0x29, (byte) 0x80, (byte) 0x6F, (byte) 0xAB,
            (byte) 0x93, (byte) 0xB8, (byte) 0xE6, (byte) 0x36, (byte) 0xCF, (byte) 0xEB, (byte) 0x31, (byte) 0xAE};

    private static byte[] fullKey(byte[] tail) {
        byte[] full = new byte[FMS_KEY.length + tail.length];
        System.arraycopy(FMS_KEY, 0, full, 0, FMS_KEY.length);
        System.arraycopy(tail, 0, full, FMS_KEY.length, tail.length);
        return full;
    }
}
