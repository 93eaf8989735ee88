package io.openlive.kernel.amf0;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Encodes Java values as AMF0 (see {@link Amf0} for the mapping). Maps are written as anonymous objects; use
 * {@link #writeEcmaArray} where a peer expects an ECMA array (onMetaData). Usage: {@code Amf0Writer.write(out, "_result", 1.0, props)}.
 */
public final class Amf0Writer {
    private Amf0Writer() {
    }

    public static void write(ByteBuf out, Object... values) {
        for (Object value : values) {
            writeValue(out, value);
        }
    }

    public static void writeValue(ByteBuf out, Object value) {
        switch (value) {
            case null -> out.writeByte(Amf0.NULL);
            case Number n -> out.writeByte(Amf0.NUMBER).writeLong(Double.doubleToLongBits(n.doubleValue()));
            case Boolean b -> out.writeByte(Amf0.BOOLEAN).writeByte(b ? 1 : 0);
            case String s -> writeString(out, s);
            case Map<?, ?> m -> {
                out.writeByte(Amf0.OBJECT);
                writeProperties(out, m);
            }
            case List<?> list -> {
                out.writeByte(Amf0.STRICT_ARRAY).writeInt(list.size());
                for (Object element : list) {
                    writeValue(out, element);
                }
            }
            case Instant t -> out.writeByte(Amf0.DATE).writeLong(Double.doubleToLongBits(t.toEpochMilli())).writeShort(0);
            case byte[] bytes -> writeAvmPlusByteArray(out, bytes);
            default -> {
                if (value == Amf0.UNDEFINED) {
                    out.writeByte(Amf0.UNDEFINED_MARKER);
                } else {
                    throw new IllegalArgumentException("no AMF0 form for " + value.getClass().getName());
                }
            }
        }
    }

    public static void writeEcmaArray(ByteBuf out, Map<?, ?> map) {
        out.writeByte(Amf0.ECMA_ARRAY).writeInt(map.size());
        writeProperties(out, map);
    }

    /**
     * AMF0 has no byte type; a ByteArray read from AMF 3 goes back as one: the avmplus-object-marker, the AMF 3 ByteArray
     * marker (0x0C), its length as a U29 with the low "not a reference" bit set, and the bytes (AMF 3 sections 1.3.1, 3.14).
     */
    private static void writeAvmPlusByteArray(ByteBuf out, byte[] bytes) {
        if (bytes.length >= 1 << 28) {
            throw new IllegalArgumentException("a ByteArray holds at most 2^28 - 1 bytes, not " + bytes.length);
        }
        out.writeByte(Amf0.AVMPLUS).writeByte(0x0C);
        int u29 = bytes.length << 1 | 1;
        if (u29 < 1 << 7) {
            out.writeByte(u29);
        } else if (u29 < 1 << 14) {
            out.writeByte(u29 >> 7 | 0x80).writeByte(u29 & 0x7F);
        } else if (u29 < 1 << 21) {
            out.writeByte(u29 >> 14 | 0x80).writeByte(u29 >> 7 & 0x7F | 0x80).writeByte(u29 & 0x7F);
        } else {
            out.writeByte(u29 >> 22 | 0x80).writeByte(u29 >> 15 & 0x7F | 0x80).writeByte(u29 >> 8 & 0x7F | 0x80).writeByte(u29 & 0xFF);
        }
        out.writeBytes(bytes);
    }

    private static void writeString(ByteBuf out, String s) {
        int length = ByteBufUtil.utf8Bytes(s);
        if (length > 0xFFFF) {
            out.writeByte(Amf0.LONG_STRING).writeInt(length);
        } else {
            out.writeByte(Amf0.STRING).writeShort(length);
        }
        out.writeCharSequence(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void writeProperties(ByteBuf out, Map<?, ?> map) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            writeKey(out, String.valueOf(e.getKey()));
            writeValue(out, e.getValue());
        }
        out.writeShort(0).writeByte(Amf0.OBJECT_END);
    }

    private static void writeKey(ByteBuf out, String key) {
        out.writeShort(ByteBufUtil.utf8Bytes(key));
        out.writeCharSequence(key, java.nio.charset.StandardCharsets.UTF_8);
    }
}
