package io.openlive.kernel.amf3;

import io.netty.buffer.ByteBuf;
import io.openlive.kernel.amf0.Amf0;
import io.openlive.kernel.amf0.Amf0Reader;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes AMF 3 values (Adobe "AMF 3 Specification", January 2013) onto the AMF0 value model (see {@link Amf3}), bounded
 * so that hostile input cannot exhaust memory or the stack or loop.
 *
 * <p>One instance is one AMF 3 context: its reference tables ({@link Amf3References}) last as long as the instance. Section
 * 4.1 resets them for each message, and every AMF 3 value inside one message, each introduced by the AMF0
 * avmplus-object-marker, shares them; {@link #readMessage} does exactly that for an RTMP command or data message.
 *
 * <p>Limits: nesting depth {@link Amf0Reader#MAX_DEPTH} counted across AMF0 and AMF3, members per object, array, vector
 * or dictionary {@link Amf0Reader#MAX_ELEMENTS}, and those of {@link Amf3References}; a declared length or count larger
 * than the bytes present is rejected before anything is allocated. Every failure is an {@link Amf3Exception} (or, for
 * the AMF0 around it, an {@link io.openlive.kernel.amf0.Amf0Exception}); the reader index is then unspecified.
 */
public final class Amf3Reader implements Amf0Reader.AvmPlusReader {
    private final Amf3References refs;
    private ByteBuf in;

    private Amf3Reader(int messageBytes) {
        this.refs = new Amf3References(messageBytes);
    }

    /**
     * Reads every AMF0 value of one message until the buffer is exhausted, where an avmplus-object-marker (0x11) makes the
     * value after it AMF 3; all those values share one set of reference tables (section 4.1).
     */
    public static List<Object> readMessage(ByteBuf in) {
        return Amf0Reader.readAll(in, new Amf3Reader(in.readableBytes()));
    }

    /** Reads one AMF 3 value in a context of its own. */
    public static Object read(ByteBuf in) {
        return new Amf3Reader(in.readableBytes()).read(in, 0);
    }

    @Override
    public Object read(ByteBuf buffer, int depth) {
        this.in = buffer;
        return value(depth);
    }

    private Object value(int depth) {
        if (depth > Amf0Reader.MAX_DEPTH) {
            throw new Amf3Exception("nesting deeper than " + Amf0Reader.MAX_DEPTH);
        }
        int marker = readByte();
        refs.charge(1);
        return switch (marker) {
            case Amf3.UNDEFINED -> Amf0.UNDEFINED;
            case Amf3.NULL -> null;
            case Amf3.FALSE -> false;
            case Amf3.TRUE -> true;
            case Amf3.INTEGER -> (double) ((u29() << 3) >> 3); // 3.6: a U29 holding a signed 29-bit value
            case Amf3.DOUBLE -> Double.longBitsToDouble(need(8).readLong());
            case Amf3.STRING -> string();
            case Amf3.XML_DOCUMENT, Amf3.XML -> xml();
            case Amf3.DATE -> date();
            case Amf3.ARRAY -> array(depth);
            case Amf3.OBJECT -> object(depth);
            case Amf3.BYTE_ARRAY -> byteArray();
            case Amf3.VECTOR_INT, Amf3.VECTOR_UINT, Amf3.VECTOR_DOUBLE -> numberVector(marker);
            case Amf3.VECTOR_OBJECT -> objectVector(depth);
            case Amf3.DICTIONARY -> dictionary(depth);
            default -> throw new Amf3Exception("unknown AMF3 marker 0x" + Integer.toHexString(marker));
        };
    }

    /** 1.3.2 UTF-8-vr: a reference to the string table, or a literal that joins it unless empty. */
    private String string() {
        int header = u29();
        if ((header & 1) == 0) {
            return refs.string(header >>> 1);
        }
        int length = header >>> 1;
        if (length == 0) {
            return ""; // UTF-8-empty is never sent by reference, so it never enters the table
        }
        String s = utf8(length);
        refs.addString(s);
        refs.charge(length);
        return s;
    }

    /** 3.9 and 3.13: XMLDocument and XML are flattened strings held in the object table, not the string table. */
    private Object xml() {
        int header = u29();
        if ((header & 1) == 0) {
            return refs.object(header >>> 1);
        }
        int length = header >>> 1;
        need(length);
        int index = refs.reserveObject();
        String xml = utf8(length);
        refs.charge(length);
        return refs.completeObject(index, xml, refs.expanded() - length);
    }

    /** 3.10: milliseconds since the epoch, UTC, with no time zone. */
    private Object date() {
        int header = u29();
        if ((header & 1) == 0) {
            return refs.object(header >>> 1);
        }
        int index = refs.reserveObject();
        double millis = Double.longBitsToDouble(need(8).readLong());
        return refs.completeObject(index, Double.isFinite(millis) ? Instant.ofEpochMilli((long) millis) : Instant.EPOCH, refs.expanded());
    }

    /** 3.11: the dense count, then name/value pairs up to the empty name, then the dense values. */
    private Object array(int depth) {
        int header = u29();
        if ((header & 1) == 0) {
            return refs.object(header >>> 1);
        }
        long start = refs.expanded();
        int denseCount = count(header >>> 1, 1, "array");
        int index = refs.reserveObject();
        Map<String, Object> associative = null;
        for (String key = string(); !key.isEmpty(); key = string()) {
            if (associative == null) {
                associative = new LinkedHashMap<>();
            }
            if (associative.size() >= Amf0Reader.MAX_ELEMENTS) {
                throw new Amf3Exception("array with more than " + Amf0Reader.MAX_ELEMENTS + " named members");
            }
            associative.put(key, value(depth + 1));
        }
        List<Object> dense = new ArrayList<>(denseCount);
        for (int i = 0; i < denseCount; i++) {
            dense.add(value(depth + 1));
        }
        if (associative == null) {
            return refs.completeObject(index, dense, start);
        }
        if (associative.size() + denseCount > Amf0Reader.MAX_ELEMENTS) {
            throw new Amf3Exception("array with more than " + Amf0Reader.MAX_ELEMENTS + " members");
        }
        for (int i = 0; i < denseCount; i++) {
            associative.put(Integer.toString(i), dense.get(i)); // as an AMF0 ECMA array carries its ordinal members
        }
        return refs.completeObject(index, associative, start);
    }

    /** 3.12: a reference, or traits (inline or by reference) followed by sealed values and, if dynamic, named values. */
    private Object object(int depth) {
        int header = u29();
        if ((header & 1) == 0) {
            return refs.object(header >>> 1);
        }
        long start = refs.expanded();
        Amf3Traits traits;
        if ((header & 2) == 0) {
            traits = refs.traits(header >>> 2);
        } else if ((header & 4) != 0) {
            // U29O-traits-ext and externalizable traits: what follows the class name is private to that class
            throw new Amf3Exception("externalizable object of class '" + string() + "': its encoding is known only to that class");
        } else {
            traits = inlineTraits(header);
        }
        int index = refs.reserveObject();
        Map<String, Object> members = new LinkedHashMap<>();
        for (String name : traits.sealedNames()) {
            members.put(name, value(depth + 1));
        }
        if (traits.dynamic()) {
            for (String name = string(); !name.isEmpty(); name = string()) {
                if (members.size() >= Amf0Reader.MAX_ELEMENTS) {
                    throw new Amf3Exception("object with more than " + Amf0Reader.MAX_ELEMENTS + " members");
                }
                members.put(name, value(depth + 1));
            }
        }
        return refs.completeObject(index, members, start);
    }

    private Amf3Traits inlineTraits(int header) {
        boolean dynamic = (header & 8) != 0;
        int sealedCount = count(header >>> 4, 1, "sealed member list");
        String className = string();
        List<String> names = new ArrayList<>(sealedCount);
        long namesLength = 0;
        for (int i = 0; i < sealedCount; i++) {
            String name = string();
            names.add(name);
            namesLength += name.length();
        }
        Amf3Traits traits = new Amf3Traits(className, List.copyOf(names), dynamic, namesLength);
        refs.addTraits(traits);
        return traits;
    }

    /** 3.14: raw bytes, held in the object table. */
    private Object byteArray() {
        int header = u29();
        if ((header & 1) == 0) {
            return refs.object(header >>> 1);
        }
        int length = header >>> 1;
        need(length);
        int index = refs.reserveObject();
        byte[] bytes = new byte[length];
        in.readBytes(bytes);
        refs.charge(length);
        return refs.completeObject(index, bytes, refs.expanded() - length);
    }

    /** 3.15: Vector.&lt;int&gt;, Vector.&lt;uint&gt; and Vector.&lt;Number&gt;, fixed-size items after a fixed-length flag. */
    private Object numberVector(int marker) {
        int header = u29();
        if ((header & 1) == 0) {
            return refs.object(header >>> 1);
        }
        int itemBytes = marker == Amf3.VECTOR_DOUBLE ? 8 : 4;
        int count = count(header >>> 1, itemBytes, "vector");
        int index = refs.reserveObject();
        readByte(); // fixed-vector flag: no meaning once decoded
        need((long) count * itemBytes);
        List<Object> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            items.add(switch (marker) {
                case Amf3.VECTOR_INT -> (double) in.readInt();
                case Amf3.VECTOR_UINT -> (double) in.readUnsignedInt();
                default -> Double.longBitsToDouble(in.readLong());
            });
        }
        refs.charge(count);
        return refs.completeObject(index, items, refs.expanded() - count);
    }

    /** 3.15: Vector of any other base type: a fixed-length flag, the type name ('*' for any), then the values. */
    private Object objectVector(int depth) {
        int header = u29();
        if ((header & 1) == 0) {
            return refs.object(header >>> 1);
        }
        long start = refs.expanded();
        int count = count(header >>> 1, 1, "vector");
        int index = refs.reserveObject();
        readByte(); // fixed-vector flag
        string(); // object-type-name: the class of the items, not part of the value model
        List<Object> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            items.add(value(depth + 1));
        }
        return refs.completeObject(index, items, start);
    }

    /**
     * 3.16: key/value pairs after a weak-keys flag. Keys may be any value; the value model keys maps by string, so string
     * keys are kept, numbers become their decimal form (Flash itself sends integer keys as strings), and any other key is
     * refused rather than collapsed into a string that could collide.
     */
    private Object dictionary(int depth) {
        int header = u29();
        if ((header & 1) == 0) {
            return refs.object(header >>> 1);
        }
        long start = refs.expanded();
        int count = count(header >>> 1, 2, "dictionary");
        int index = refs.reserveObject();
        readByte(); // weak-keys flag
        Map<String, Object> entries = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String key = switch (value(depth + 1)) {
                case String s -> s;
                case Double d when d == Math.rint(d) && Math.abs(d) < 0x1p53 -> Long.toString(d.longValue());
                case Double d -> d.toString();
                case null -> throw new Amf3Exception("dictionary key null has no form in the value model");
                case Object other -> throw new Amf3Exception("dictionary key of type " + describe(other) + " has no form in the value model");
            };
            entries.put(key, value(depth + 1));
        }
        return refs.completeObject(index, entries, start);
    }

    private static String describe(Object value) {
        return switch (value) {
            case Map<?, ?> m -> "object";
            case List<?> l -> "array";
            case byte[] b -> "ByteArray";
            case Instant t -> "Date";
            case Boolean b -> "boolean";
            default -> value == Amf0.UNDEFINED ? "undefined" : value.getClass().getSimpleName();
        };
    }

    /**
     * A declared item count, checked before anything is allocated: within {@link Amf0Reader#MAX_ELEMENTS} and no more
     * items than the remaining bytes could hold at {@code minBytesEach} bytes per item.
     */
    private int count(int declared, int minBytesEach, String what) {
        if (declared > Amf0Reader.MAX_ELEMENTS || (long) declared * minBytesEach > in.readableBytes()) {
            throw new Amf3Exception(what + " of " + declared + " items with " + in.readableBytes() + " bytes left"
                    + (declared > Amf0Reader.MAX_ELEMENTS ? " (limit " + Amf0Reader.MAX_ELEMENTS + ")" : ""));
        }
        return declared;
    }

    /** 1.3.1: up to three bytes of 7 bits with a continuation flag, then a fourth of 8 bits; 29 bits in all. */
    private int u29() {
        int value = 0;
        for (int i = 0; i < 3; i++) {
            int b = readByte();
            if ((b & 0x80) == 0) {
                return (value << 7) | b;
            }
            value = (value << 7) | (b & 0x7F);
        }
        return (value << 8) | readByte();
    }

    private String utf8(int length) {
        need(length);
        String s = in.toString(in.readerIndex(), length, StandardCharsets.UTF_8);
        in.skipBytes(length);
        return s;
    }

    private int readByte() {
        return need(1).readUnsignedByte();
    }

    private ByteBuf need(long bytes) {
        if (in.readableBytes() < bytes) {
            throw new Amf3Exception("truncated: needed " + bytes + " bytes, " + in.readableBytes() + " left");
        }
        return in;
    }
}
