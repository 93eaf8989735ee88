package io.openlive.kernel.mpegts;

import java.util.Arrays;

/**
 * Cuts PSI sections and PES packets into 188-byte transport packets (ISO/IEC 13818-1 2.4.3.2), keeping a continuity
 * counter per PID and filling the last packet of each payload with adaptation-field stuffing (2.4.3.4). Usage:
 * {@code packets.pes(0x100, pes, true, pcr);} then {@link #toByteArray()}.
 */
final class TsPackets {
    static final int SIZE = 188;
    private static final int SYNC = 0x47;

    private byte[] buf;
    private int size;
    private final int[] continuity = new int[0x2000];

    TsPackets(int capacity) {
        buf = new byte[Math.max(SIZE, capacity - capacity % SIZE + SIZE)];
    }

    /** A PSI section in one packet, after a pointer_field of 0 (2.4.4.2). */
    void section(int pid, byte[] section) {
        byte[] payload = new byte[section.length + 1];
        System.arraycopy(section, 0, payload, 1, section.length);
        write(pid, payload, false, -1, true);
    }

    /**
     * A PES packet; the first transport packet has payload_unit_start_indicator set and, when asked, the
     * random_access_indicator and a PCR in its adaptation field.
     */
    void pes(int pid, byte[] pes, boolean randomAccess, long pcrBase) {
        write(pid, pes, randomAccess, pcrBase, false);
    }

    private void write(int pid, byte[] payload, boolean randomAccess, long pcrBase, boolean fillWithFF) {
        int pos = 0;
        boolean first = true;
        while (pos < payload.length) {
            int start = size;
            ensure(SIZE);
            size += SIZE;
            Arrays.fill(buf, start, start + SIZE, (byte) 0xFF);
            int remaining = payload.length - pos;
            boolean pcr = first && pcrBase >= 0;
            boolean flags = first && (randomAccess || pcr);
            // adaptation_field_length counts the bytes after itself: a flags byte, then 6 PCR bytes (2.4.3.5)
            int fieldLength = flags ? 1 + (pcr ? 6 : 0) : -1;
            int room = SIZE - 4 - (fieldLength + 1);
            if (!fillWithFF && remaining < room) {
                fieldLength += room - remaining; // stuffing: grow the adaptation field to fill the packet
                room = remaining;
            }
            int take = Math.min(room, remaining);
            buf[start] = (byte) SYNC;
            buf[start + 1] = (byte) ((first ? 0x40 : 0) | (pid >> 8));
            buf[start + 2] = (byte) pid;
            int cc = continuity[pid];
            continuity[pid] = (cc + 1) & 0x0F; // counts packets with payload (2.4.3.3)
            buf[start + 3] = (byte) ((fieldLength >= 0 ? 0x30 : 0x10) | cc);
            int at = start + 4;
            if (fieldLength >= 0) {
                buf[at++] = (byte) fieldLength;
                if (fieldLength > 0) {
                    buf[at] = (byte) ((randomAccess && first ? 0x40 : 0) | (pcr ? 0x10 : 0));
                    int p = at + 1;
                    if (pcr) {
                        // program_clock_reference_base (33 bits), 6 reserved bits, extension (9 bits) 0
                        buf[p] = (byte) (pcrBase >> 25);
                        buf[p + 1] = (byte) (pcrBase >> 17);
                        buf[p + 2] = (byte) (pcrBase >> 9);
                        buf[p + 3] = (byte) (pcrBase >> 1);
                        buf[p + 4] = (byte) (((pcrBase & 1) << 7) | 0x7E);
                        buf[p + 5] = 0;
                    }
                    at += fieldLength; // stuffing bytes stay 0xFF
                }
            }
            System.arraycopy(payload, pos, buf, at, take);
            pos += take;
            first = false;
        }
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int n) {
        if (size + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }
    }
}
