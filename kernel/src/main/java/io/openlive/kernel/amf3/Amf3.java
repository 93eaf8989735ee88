package io.openlive.kernel.amf3;

/**
 * AMF 3 type markers (Adobe "AMF 3 Specification", January 2013, section 3.1) and how {@link Amf3Reader} maps them onto the
 * value model of {@link io.openlive.kernel.amf0.Amf0}, so a command reads the same whichever encoding the client chose.
 *
 * <p>undefined → {@link io.openlive.kernel.amf0.Amf0#UNDEFINED}; null → {@code null}; false, true → {@link Boolean};
 * integer and double → {@link Double} (AMF0 has one number type, and commands compare transaction ids as doubles);
 * string, XMLDocument and XML → {@link String}; date → {@link java.time.Instant}; an array with only a dense part →
 * {@link java.util.List}, with an associative part → {@link java.util.LinkedHashMap} holding the named members first and
 * then the dense ones under "0", "1", … (as an AMF0 ECMA array reads); object → {@link java.util.LinkedHashMap} of sealed
 * then dynamic members, class name dropped (as an AMF0 typed object reads); ByteArray → {@code byte[]}; Vector of int,
 * uint or Number → {@link java.util.List} of {@link Double}; Vector of objects → {@link java.util.List}; Dictionary →
 * {@link java.util.LinkedHashMap} when its keys are strings or numbers. Externalizable objects and dictionaries keyed by
 * anything else have no form in this model and are refused with an {@link Amf3Exception}.
 */
public final class Amf3 {
    public static final int UNDEFINED = 0x00;
    public static final int NULL = 0x01;
    public static final int FALSE = 0x02;
    public static final int TRUE = 0x03;
    public static final int INTEGER = 0x04;
    public static final int DOUBLE = 0x05;
    public static final int STRING = 0x06;
    public static final int XML_DOCUMENT = 0x07;
    public static final int DATE = 0x08;
    public static final int ARRAY = 0x09;
    public static final int OBJECT = 0x0A;
    public static final int XML = 0x0B;
    public static final int BYTE_ARRAY = 0x0C;
    public static final int VECTOR_INT = 0x0D;
    public static final int VECTOR_UINT = 0x0E;
    public static final int VECTOR_DOUBLE = 0x0F;
    public static final int VECTOR_OBJECT = 0x10;
    public static final int DICTIONARY = 0x11;

    private Amf3() {
    }
}
