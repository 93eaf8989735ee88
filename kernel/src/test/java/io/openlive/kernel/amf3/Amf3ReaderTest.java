package io.openlive.kernel.amf3;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.openlive.kernel.amf0.Amf0;
import io.openlive.kernel.amf0.Amf0Reader;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bytes built by hand from the AMF 3 specification (January 2013); the section each case follows is named beside it.
 * Strings in the comments are the UTF-8-vr headers: 0x07 is a literal of 3 bytes (3 &lt;&lt; 1 | 1), 0x00 a reference to
 * string 0, 0x01 the empty string.
 */
class Amf3ReaderTest {

    private static ByteBuf hex(String spaced) {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(spaced.replace(" ", "")));
    }

    private static Object read(String spaced) {
        ByteBuf in = hex(spaced);
        Object value = Amf3Reader.read(in);
        assertThat(in.readableBytes()).as("bytes left after the value").isZero();
        return value;
    }

    private static String failure(String spaced) {
        return failure(hex(spaced));
    }

    private static String failure(ByteBuf in) {
        try {
            Object value = Amf3Reader.read(in);
            throw new AssertionError("decoded " + value + " instead of failing");
        } catch (Amf3Exception expected) {
            return expected.getMessage();
        }
    }

    @Test
    void singleByteValues() { // 3.2 to 3.5
        assertThat(read("00")).isSameAs(Amf0.UNDEFINED);
        assertThat(read("01")).isNull();
        assertThat(read("02")).isEqualTo(false);
        assertThat(read("03")).isEqualTo(true);
    }

    @Test
    void integersUseEveryLengthOfU29AndAreSigned() { // 1.3.1, 3.6
        assertThat(read("04 00")).isEqualTo(0.0);
        assertThat(read("04 7F")).isEqualTo(127.0);
        assertThat(read("04 81 00")).isEqualTo(128.0);
        assertThat(read("04 FF 7F")).isEqualTo(16_383.0);
        assertThat(read("04 81 80 00")).isEqualTo(16_384.0);
        assertThat(read("04 FF FF 7F")).isEqualTo(2_097_151.0);
        assertThat(read("04 80 C0 80 00")).isEqualTo(2_097_152.0);
        assertThat(read("04 BF FF FF FF")).isEqualTo(268_435_455.0); // 2^28 - 1, the largest int AMF 3 sends as an integer
        assertThat(read("04 C0 80 80 00")).isEqualTo(-268_435_456.0); // -2^28: bit 28 set is the sign
        assertThat(read("04 FF FF FF FF")).isEqualTo(-1.0);
    }

    @Test
    void doublesAreEightBytesBigEndian() { // 3.7
        assertThat(read("05 40 0C 00 00 00 00 00 00")).isEqualTo(3.5);
        assertThat(read("05 FF F0 00 00 00 00 00 00")).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void stringsAreLiteralsOrReferencesAndTheEmptyStringNeverEntersTheTable() { // 1.3.2, 3.8
        assertThat(read("06 07 66 6F 6F")).isEqualTo("foo");
        assertThat(read("06 0D E3 83 86 E3 82 B9")).isEqualTo("テス");
        // [ "foo", "", "bar", ref 0, ref 1 ]: the empty string takes no index, so ref 1 is "bar"
        assertThat(read("09 0B 01  06 07 66 6F 6F  06 01  06 07 62 61 72  06 00  06 02"))
                .isEqualTo(List.of("foo", "", "bar", "foo", "bar"));
    }

    @Test
    void xmlAndXmlDocumentAreStringsInTheObjectTable() { // 3.9, 3.13
        assertThat(read("07 09 3C 61 2F 3E")).isEqualTo("<a/>");
        // [ XML "<a/>", XML ref 1 ]: index 0 is the array itself, index 1 the XML
        assertThat(read("09 05 01  0B 09 3C 61 2F 3E  0B 02")).isEqualTo(List.of("<a/>", "<a/>"));
    }

    @Test
    void datesAreUtcMillisecondsAndMayBeReferenced() { // 3.10
        // [ Date 1700000000000 ms, Date ref 1 ]
        Instant t = Instant.ofEpochMilli(1_700_000_000_000L);
        assertThat(read("09 05 01  08 01 42 78 BC FE 56 80 00 00  08 02")).isEqualTo(List.of(t, t));
    }

    @Test
    void aDenseArrayIsAListAndOneWithNamesIsAMapLikeAnEcmaArray() { // 3.11
        assertThat(read("09 07 01 04 01 04 02 04 03")).isEqualTo(List.of(1.0, 2.0, 3.0));
        // dense count 2, "k" = "v", end of names, then "a", "b"
        Object mixed = read("09 05  03 6B 06 03 76  01  06 03 61  06 03 62");
        assertThat(mixed).isInstanceOf(Map.class);
        assertThat(((Map<?, ?>) mixed).entrySet().stream().map(Object::toString).toList()).containsExactly("k=v", "0=a", "1=b");
    }

    @Test
    void anonymousDynamicObject() { // 3.12: traits 0x0B = 0 sealed, dynamic, inline; class name ""
        assertThat(read("0A 0B 01  07 61 70 70 06 09 6C 69 76 65  1D 6F 62 6A 65 63 74 45 6E 63 6F 64 69 6E 67 04 03  01"))
                .isEqualTo(Map.of("app", "live", "objectEncoding", 3.0));
    }

    @Test
    void typedSealedObjectsShareTraitsByReference() { // 3.12
        // [ Point{x:1,y:2} with inline traits (2 sealed: 0x23), Point{x:3,y:4} with traits ref 0 (0x01), object ref 1 ]
        Object value = read("09 07 01"
                + " 0A 23 0B 50 6F 69 6E 74 03 78 03 79 04 01 04 02"
                + " 0A 01 04 03 04 04"
                + " 0A 02");
        assertThat(value).isEqualTo(List.of(Map.of("x", 1.0, "y", 2.0), Map.of("x", 3.0, "y", 4.0), Map.of("x", 1.0, "y", 2.0)));
    }

    @Test
    void sealedMembersThenDynamicOnesKeepTheirOrder() { // 3.12: traits 0x1B = 1 sealed, dynamic
        Object value = read("0A 1B 03 43  03 61  04 01  03 7A 04 02  01");
        assertThat(((Map<?, ?>) value).keySet().stream().map(String::valueOf).toList()).containsExactly("a", "z");
    }

    @Test
    void externalizableObjectsAreRefusedByName() { // 3.12: U29O-traits-ext / externalizable traits, 0x07
        assertThat(failure("0A 07 43 66 6C 65 78 2E 6D 65 73 73 61 67 69 6E 67 2E 69 6F 2E 41 72 72 61 79 43 6F 6C 6C 65 63 74 69 6F 6E 0A 01"))
                .isEqualTo("externalizable object of class 'flex.messaging.io.ArrayCollection': its encoding is known only to that class");
    }

    @Test
    void byteArraysAreRawBytesInTheObjectTable() { // 3.14
        Object value = read("09 05 01  0C 07 00 FF 7F  0C 02");
        List<?> list = (List<?>) value;
        assertThat((byte[]) list.get(0)).containsExactly((byte) 0x00, (byte) 0xFF, (byte) 0x7F);
        assertThat(list.get(1)).isSameAs(list.get(0));
    }

    @Test
    void vectors() { // 3.15
        assertThat(read("0D 05 00  FF FF FF FE  00 00 00 07")).isEqualTo(List.of(-2.0, 7.0));
        assertThat(read("0E 03 01  FF FF FF FE")).isEqualTo(List.of(4_294_967_294.0));
        assertThat(read("0F 03 00  40 0C 00 00 00 00 00 00")).isEqualTo(List.of(3.5));
        assertThat(read("10 05 00 03 2A  06 03 61  01")).isEqualTo(java.util.Arrays.asList("a", null)); // type name "*"
    }

    @Test
    void dictionariesKeyedByStringsOrNumbers() { // 3.16
        Object value = read("11 07 00  06 03 61 04 01  04 05 06 03 62  05 3F F8 00 00 00 00 00 00 03");
        assertThat(((Map<?, ?>) value).entrySet().stream().map(Object::toString).toList()).containsExactly("a=1.0", "5=b", "1.5=true");
        assertThat(failure("11 03 00  0A 0B 01 01  01")).isEqualTo("dictionary key of type object has no form in the value model");
    }

    @Test
    void referenceTablesAreSharedAcrossTheAmf3ValuesOfOneMessage() { // 4.1
        // AMF0 "connect", 1.0, then AMF3 {app:"live"}, then AMF3 string ref 1 ("live": "app" is 0)
        ByteBuf message = hex("02 00 07 63 6F 6E 6E 65 63 74  00 3F F0 00 00 00 00 00 00"
                + "  11 0A 0B 01 07 61 70 70 06 09 6C 69 76 65 01  11 06 02  05");
        assertThat(Amf3Reader.readMessage(message)).containsExactly("connect", 1.0, Map.of("app", "live"), "live", null);
    }

    @Test
    void aByteArrayWrittenByTheAmf0WriterReadsBackTheSame() { // every length of the U29 header: 1 to 4 bytes
        for (int length : new int[]{0, 63, 64, 8_191, 8_192, 1_048_575, 1_048_576}) {
            byte[] bytes = new byte[length];
            new java.util.Random(length).nextBytes(bytes);
            ByteBuf message = Unpooled.buffer();
            io.openlive.kernel.amf0.Amf0Writer.write(message, "onData", bytes);
            List<Object> values = Amf3Reader.readMessage(message);
            assertThat(values.get(0)).isEqualTo("onData");
            assertThat((byte[]) values.get(1)).as("%d bytes", length).isEqualTo(bytes);
        }
    }

    @Test
    void theAmf0ReaderAloneRefusesTheAvmPlusMarker() {
        assertThatThrownBy(() -> Amf0Reader.readAll(hex("11 06 03 61")))
                .hasMessage("AMF3 value (avmplus-object-marker) where only AMF0 is allowed");
    }

    @Test
    void everyTruncationFailsCleanly() {
        byte[] whole = ByteBufUtil.decodeHexDump(("09 07 01 0A 23 0B 50 6F 69 6E 74 03 78 03 79 04 01 05 3F F8 00 00 00 00 00 00"
                + " 0A 01 06 09 6C 69 76 65 08 01 42 78 BC FE 56 80 00 00 0A 02").replace(" ", ""));
        assertThat(Amf3Reader.read(Unpooled.wrappedBuffer(whole))).asList().hasSize(3);
        for (int length = 0; length < whole.length; length++) {
            assertThat(failure(Unpooled.wrappedBuffer(whole, 0, length))).as("first %d bytes", length).isNotBlank();
        }
    }

    @Test
    void hugeDeclaredLengthsFailBeforeAllocating() {
        assertThat(failure("06 FF FF FF FF")).isEqualTo("truncated: needed 268435455 bytes, 0 left");
        assertThat(failure("0C FF FF FF FF 00")).isEqualTo("truncated: needed 268435455 bytes, 1 left");
        assertThat(failure("09 FF FF FF FF 01")).isEqualTo("array of 268435455 items with 1 bytes left (limit 4096)");
        assertThat(failure("0D 81 01 00")).isEqualTo("vector of 64 items with 1 bytes left");
        assertThat(failure("0A BF FF FF FB 01")).isEqualTo("sealed member list of 16777215 items with 1 bytes left (limit 4096)");
        assertThat(failure("11 FF FF FF FF 00")).isEqualTo("dictionary of 268435455 items with 1 bytes left (limit 4096)");
    }

    @Test
    void referencesOutOfRangeFail() {
        assertThat(failure("06 02")).isEqualTo("string reference 1 with 0 strings in the table");
        assertThat(failure("09 04")).isEqualTo("object reference 2 with 0 objects in the table");
        assertThat(failure("0A 05")).isEqualTo("traits reference 1 with 0 traits in the table");
    }

    @Test
    void unknownMarkersFail() {
        assertThat(failure("12")).isEqualTo("unknown AMF3 marker 0x12");
    }

    @Test
    void deepNestingFailsWithoutExhaustingTheStack() {
        String open = "09 03 01 ".repeat(100_000); // arrays of one element, each holding the next
        assertThat(failure(open + "01")).isEqualTo("nesting deeper than " + Amf0Reader.MAX_DEPTH);
    }

    @Test
    void aValueThatContainsItselfIsRefused() {
        assertThat(failure("09 03 01 09 00")).isEqualTo("object reference 0 is a cycle: the object contains itself");
        // an object whose dynamic member "me" refers to the object itself
        assertThat(failure("0A 0B 01 05 6D 65 0A 00 01")).isEqualTo("object reference 0 is a cycle: the object contains itself");
    }

    @Test
    void referencesCannotExpandASmallMessageWithoutBound() {
        // each array holds its predecessor twice, so level n stands for 2^n values: 40 levels in under 300 bytes
        StringBuilder s = new StringBuilder("09 05 01 04 01 04 01 ");
        for (int level = 0; level < 40; level++) {
            String previous = String.format("%02X", (level + 1) << 1); // a reference to the array just before this one
            s.append("09 05 01 09 ").append(previous).append(" 09 ").append(previous).append(' ');
        }
        ByteBuf in = hex("09 " + String.format("%02X", 41 << 1 | 1) + " 01 " + s);
        assertThat(failure(in)).startsWith("references expand the message past 1048576 units");
    }

    @Test
    void eachReferenceTableIsBounded() {
        // 65,537 one-letter strings, each its own AMF3 value after an avmplus marker, all in one message
        ByteBuf message = Unpooled.buffer();
        for (int i = 0; i <= Amf3References.MAX_ENTRIES; i++) {
            message.writeByte(0x11).writeByte(Amf3.STRING).writeByte(0x03).writeByte('a');
        }
        assertThatThrownBy(() -> Amf3Reader.readMessage(message)).isInstanceOf(Amf3Exception.class)
                .hasMessage("more than 65536 strings in one message");
    }
}
