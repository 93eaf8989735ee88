package io.openlive.kernel.amf3;

import java.util.ArrayList;
import java.util.List;

/**
 * The three implicit reference tables of one AMF 3 context (section 2.2: strings, complex objects, traits) and the budget
 * that keeps references from turning a small message into a huge value.
 *
 * <p>Bounds: each table holds at most {@link #MAX_ENTRIES} entries. A reference to an object still being decoded (one of
 * the value's own ancestors) would make a cyclic Java value that every later walk (logging, re-encoding) loops on, so it
 * is refused. References to finished objects share the Java value, which is cheap here but costs its full size again in
 * whatever walks the result; so every value charges its expanded size (one per value plus the length of each string and
 * byte array, a reference charging the whole value it stands for) against a budget of twice the message's bytes, at
 * least {@link #MIN_BUDGET}. Without references a value never costs more than its bytes, so only an expansion of more
 * than that is refused.
 */
final class Amf3References {
    /** Most entries in each table; one message's strings, objects and traits are counted in tens. */
    static final int MAX_ENTRIES = 65_536;
    /** Smallest expansion budget, so that a small command may still reuse what it has sent. */
    static final long MIN_BUDGET = 1 << 20;

    private final List<String> strings = new ArrayList<>();
    private final List<Amf3Traits> traits = new ArrayList<>();
    private final List<Entry> objects = new ArrayList<>();
    private final long budget;
    private long expanded;

    /** An object table entry: its value once complete, and what it costs each time it is referenced. */
    private static final class Entry {
        Object value;
        long size;
        boolean complete;
    }

    Amf3References(int messageBytes) {
        this.budget = Math.max(MIN_BUDGET, 2L * messageBytes);
    }

    /** Adds {@code units} to the expanded size of this context. */
    void charge(long units) {
        expanded += units;
        if (expanded > budget) {
            throw new Amf3Exception("references expand the message past " + budget + " units");
        }
    }

    /** Running expanded size; the difference across a value's decoding is what a reference to it costs. */
    long expanded() {
        return expanded;
    }

    void addString(String s) {
        full(strings.size(), "strings");
        strings.add(s);
    }

    String string(int index) {
        if (index >= strings.size()) {
            throw new Amf3Exception("string reference " + index + " with " + strings.size() + " strings in the table");
        }
        String s = strings.get(index);
        charge(s.length());
        return s;
    }

    void addTraits(Amf3Traits t) {
        full(traits.size(), "traits");
        traits.add(t);
    }

    Amf3Traits traits(int index) {
        if (index >= traits.size()) {
            throw new Amf3Exception("traits reference " + index + " with " + traits.size() + " traits in the table");
        }
        Amf3Traits t = traits.get(index);
        charge(t.namesLength());
        return t;
    }

    /** Reserves the next object index before the object's members are read, as the encoder numbered it (3.11, 3.12). */
    int reserveObject() {
        full(objects.size(), "objects");
        objects.add(new Entry());
        return objects.size() - 1;
    }

    /** Completes a reserved entry; {@code startedAt} is {@link #expanded()} when its decoding began. */
    <T> T completeObject(int index, T value, long startedAt) {
        Entry e = objects.get(index);
        e.value = value;
        e.size = expanded - startedAt;
        e.complete = true;
        return value;
    }

    Object object(int index) {
        if (index >= objects.size()) {
            throw new Amf3Exception("object reference " + index + " with " + objects.size() + " objects in the table");
        }
        Entry e = objects.get(index);
        if (!e.complete) {
            throw new Amf3Exception("object reference " + index + " is a cycle: the object contains itself");
        }
        charge(e.size);
        return e.value;
    }

    private static void full(int size, String table) {
        if (size >= MAX_ENTRIES) {
            throw new Amf3Exception("more than " + MAX_ENTRIES + " " + table + " in one message");
        }
    }
}
