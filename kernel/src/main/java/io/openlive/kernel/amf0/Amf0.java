package io.openlive.kernel.amf0;

/**
 * AMF0 type markers (Action Message Format AMF0 specification, section 2.1) and the value model used by
 * {@link Amf0Reader} and {@link Amf0Writer}.
 *
 * <p>Values map to Java as: number → {@link Double}, boolean → {@link Boolean}, string and long string →
 * {@link String}, object and ECMA array → {@link java.util.LinkedHashMap} (order kept), strict array →
 * {@link java.util.List}, date → {@link java.time.Instant}, null → {@code null}, undefined → {@link #UNDEFINED}.
 * AMF 3 values carried after the avmplus-object-marker map onto the same model (see {@code io.openlive.kernel.amf3.Amf3}),
 * with one addition: an AMF 3 ByteArray is a {@code byte[]}, which {@link Amf0Writer} writes back in the only form AMF0 has
 * for it, an AMF 3 ByteArray after the avmplus-object-marker.
 */
public final class Amf0 {
    public static final int NUMBER = 0x00;
    public static final int BOOLEAN = 0x01;
    public static final int STRING = 0x02;
    public static final int OBJECT = 0x03;
    public static final int MOVIECLIP = 0x04;
    public static final int NULL = 0x05;
    public static final int UNDEFINED_MARKER = 0x06;
    public static final int REFERENCE = 0x07;
    public static final int ECMA_ARRAY = 0x08;
    public static final int OBJECT_END = 0x09;
    public static final int STRICT_ARRAY = 0x0A;
    public static final int DATE = 0x0B;
    public static final int LONG_STRING = 0x0C;
    public static final int UNSUPPORTED = 0x0D;
    public static final int XML_DOCUMENT = 0x0F;
    public static final int TYPED_OBJECT = 0x10;
    public static final int AVMPLUS = 0x11;

    /** The AMF0 {@code undefined} value, distinct from {@code null}. */
    public static final Object UNDEFINED = new Object() {
        @Override
        public String toString() {
            return "undefined";
        }
    };

    private Amf0() {
    }
}
