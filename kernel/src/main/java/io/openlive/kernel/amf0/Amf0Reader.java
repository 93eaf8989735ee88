package io.openlive.kernel.amf0;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes AMF0 values from a buffer, bounded so that hostile input cannot exhaust memory or the stack.
 *
 * <p>Limits: nesting depth {@link #MAX_DEPTH}, elements per object or array {@link #MAX_ELEMENTS}; a declared length larger
 * than the bytes present is rejected before anything is allocated. Every failure is an {@link Amf0Exception} (or whatever
 * the {@link AvmPlusReader} throws for an AMF 3 value); the reader index is then unspecified. Usage:
 * {@code List<Object> values = Amf0Reader.readAll(payload);}
 */
public final class Amf0Reader {
    /** Deepest nesting of objects and arrays accepted; real RTMP commands nest two or three levels. */
    public static final int MAX_DEPTH = 32;
    /** Most members in one object or array; onMetaData carries a few dozen. */
    public static final int MAX_ELEMENTS = 4096;

    /**
     * Decodes the value after an avmplus-object-marker (0x11), which AMF0 section 3.1 hands to AMF 3. The AMF0 reader knows
     * no AMF 3 itself: callers that allow it (RTMP message types 15 and 17) pass {@code io.openlive.kernel.amf3.Amf3Reader}.
     */
    @FunctionalInterface
    public interface AvmPlusReader {
        /** Reads one value from {@code in}, already past the marker; {@code depth} is the AMF0 nesting it sits at. */
        Object read(ByteBuf in, int depth);
    }

    private final ByteBuf in;
    private final AvmPlusReader avmPlus;

    private Amf0Reader(ByteBuf in, AvmPlusReader avmPlus) {
        this.in = in;
        this.avmPlus = avmPlus;
    }

    /** Reads every value until the buffer is exhausted; an AMF 3 value (marker 0x11) is refused. */
    public static List<Object> readAll(ByteBuf in) {
        return readAll(in, null);
    }

    /** Reads every value until the buffer is exhausted, handing each AMF 3 value (marker 0x11) to {@code avmPlus}. */
    public static List<Object> readAll(ByteBuf in, AvmPlusReader avmPlus) {
        Amf0Reader reader = new Amf0Reader(in, avmPlus);
        List<Object> values = new ArrayList<>(4);
        while (in.isReadable()) {
            values.add(reader.value(0));
        }
        return values;
    }

    /** Reads one value; an AMF 3 value is refused. */
    public static Object read(ByteBuf in) {
        return new Amf0Reader(in, null).value(0);
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw new Amf0Exception("nesting deeper than " + MAX_DEPTH);
        }
        int marker = readByte();
        return switch (marker) {
            case Amf0.NUMBER -> Double.longBitsToDouble(need(8).readLong());
            case Amf0.BOOLEAN -> readByte() != 0;
            case Amf0.STRING -> utf8(need(2).readUnsignedShort());
            case Amf0.LONG_STRING -> utf8(need(4).readInt());
            case Amf0.OBJECT -> properties(new LinkedHashMap<>(), depth);
            case Amf0.TYPED_OBJECT -> {
                utf8(need(2).readUnsignedShort()); // class name (AMF0 2.18): kept out of the value model
                yield properties(new LinkedHashMap<>(), depth);
            }
            case Amf0.ECMA_ARRAY -> {
                need(4).readInt(); // associative count (AMF0 2.10) is advisory; encoders get it wrong, so read to the end marker
                yield properties(new LinkedHashMap<>(), depth);
            }
            case Amf0.STRICT_ARRAY -> strictArray(depth);
            case Amf0.DATE -> {
                double millis = Double.longBitsToDouble(need(10).readLong());
                in.skipBytes(2); // time zone, reserved and ignored (AMF0 2.13)
                yield Double.isFinite(millis) ? Instant.ofEpochMilli((long) millis) : Instant.EPOCH;
            }
            case Amf0.NULL -> null;
            case Amf0.UNDEFINED_MARKER, Amf0.UNSUPPORTED -> Amf0.UNDEFINED;
            case Amf0.XML_DOCUMENT -> utf8(need(4).readInt());
            case Amf0.AVMPLUS -> {
                if (avmPlus == null) {
                    throw new Amf0Exception("AMF3 value (avmplus-object-marker) where only AMF0 is allowed");
                }
                yield avmPlus.read(in, depth); // one value only: the next marker is AMF0 again
            }
            default -> throw new Amf0Exception("unsupported AMF0 marker 0x" + Integer.toHexString(marker));
        };
    }

    private Map<String, Object> properties(Map<String, Object> map, int depth) {
        while (true) {
            String key = utf8(need(2).readUnsignedShort());
            if (key.isEmpty() && in.isReadable() && in.getUnsignedByte(in.readerIndex()) == Amf0.OBJECT_END) {
                in.skipBytes(1);
                return map;
            }
            if (map.size() >= MAX_ELEMENTS) {
                throw new Amf0Exception("object with more than " + MAX_ELEMENTS + " members");
            }
            map.put(key, value(depth + 1));
        }
    }

    private List<Object> strictArray(int depth) {
        long count = need(4).readUnsignedInt();
        if (count > MAX_ELEMENTS || count > in.readableBytes()) {
            throw new Amf0Exception("strict array of " + count + " elements with " + in.readableBytes() + " bytes left");
        }
        List<Object> list = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            list.add(value(depth + 1));
        }
        return list;
    }

    private String utf8(int length) {
        if (length < 0 || length > in.readableBytes()) {
            throw new Amf0Exception("string of " + Integer.toUnsignedString(length) + " bytes with " + in.readableBytes() + " left");
        }
        String s = in.toString(in.readerIndex(), length, StandardCharsets.UTF_8);
        in.skipBytes(length);
        return s;
    }

    private int readByte() {
        return need(1).readUnsignedByte();
    }

    private ByteBuf need(int bytes) {
        if (in.readableBytes() < bytes) {
            throw new Amf0Exception("truncated: needed " + bytes + " bytes, " + in.readableBytes() + " left");
        }
        return in;
    }
}
