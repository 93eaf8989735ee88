package io.openlive.kernel.fmp4;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A test-side ISO BMFF reader: splits bytes into boxes and checks that every size adds up. */
record Boxes(String type, int offset, int size, byte[] file) {
    private static final java.util.Set<String> CONTAINERS = java.util.Set.of("moov", "trak", "mdia", "minf", "stbl",
            "mvex", "moof", "traf", "dinf", "edts");

    static List<Boxes> parse(byte[] file, int from, int to) {
        List<Boxes> out = new ArrayList<>();
        int pos = from;
        while (pos < to) {
            int size = ByteBuffer.wrap(file, pos, 4).getInt();
            if (size < 8 || pos + size > to) {
                throw new AssertionError("box at " + pos + " of size " + size + " overruns " + to);
            }
            out.add(new Boxes(new String(file, pos + 4, 4, StandardCharsets.US_ASCII), pos, size, file));
            pos += size;
        }
        return out;
    }

    List<Boxes> children() {
        int header = type.equals("stsd") || type.equals("dref") ? 16 : 8;
        return parse(file, offset + header, offset + size);
    }

    Boxes child(String t) {
        return children().stream().filter(b -> b.type.equals(t)).findFirst().orElseThrow(() -> new AssertionError("no " + t + " in " + type));
    }

    /** Finds a box by path, e.g. "moov/trak/mdia/mdhd", descending through containers. */
    static Boxes find(List<Boxes> top, String path) {
        String[] parts = path.split("/");
        Boxes b = top.stream().filter(x -> x.type.equals(parts[0])).findFirst().orElseThrow();
        for (int i = 1; i < parts.length; i++) {
            b = b.child(parts[i]);
        }
        return b;
    }

    ByteBuffer payload() {
        return ByteBuffer.wrap(file, offset + 8, size - 8).slice();
    }

    boolean isContainer() {
        return CONTAINERS.contains(type);
    }
}
