package io.ringcap.record;

/**
 * Packet counts per {@link UdpDestination}, in an open-addressing table allocated once: counting a packet
 * allocates nothing. It holds up to {@link #MAX_FLOWS}; packets of further flows are not counted per flow,
 * and {@link #overflowed()} says so, so an index built from it does not claim a flow is absent.
 */
final class FlowTable {
    static final int MAX_FLOWS = 4096;
    private static final int SLOTS = MAX_FLOWS * 2;
    private static final int MASK = SLOTS - 1;
    /** Marks a used slot, so that destination 0.0.0.0:0 is distinct from an empty slot. */
    private static final long USED = 1L << 62;

    private final long[] keys = new long[SLOTS];
    private final long[] packets = new long[SLOTS];
    private final long[] bytes = new long[SLOTS];
    private final long[] first = new long[SLOTS];
    private final long[] last = new long[SLOTS];
    private int size;
    private boolean overflowed;

    void count(long destination, int length, long timestampNanos) {
        long key = destination | USED;
        int slot = (int) mix(destination) & MASK;
        while (keys[slot] != key) {
            if (keys[slot] == 0) {
                if (size == MAX_FLOWS) {
                    overflowed = true;
                    return;
                }
                keys[slot] = key;
                first[slot] = timestampNanos;
                last[slot] = timestampNanos;
                size++;
                break;
            }
            slot = (slot + 1) & MASK;
        }
        packets[slot]++;
        bytes[slot] += length;
        first[slot] = Math.min(first[slot], timestampNanos);
        last[slot] = Math.max(last[slot], timestampNanos);
    }

    int size() {
        return size;
    }

    boolean overflowed() {
        return overflowed;
    }

    /** Calls {@code visitor} for each flow, in slot order. */
    void forEach(Visitor visitor) {
        for (int slot = 0; slot < SLOTS; slot++) {
            if (keys[slot] != 0) {
                visitor.flow(keys[slot] & ~USED, packets[slot], bytes[slot], first[slot], last[slot]);
            }
        }
    }

    void clear() {
        java.util.Arrays.fill(keys, 0);
        java.util.Arrays.fill(packets, 0);
        java.util.Arrays.fill(bytes, 0);
        size = 0;
        overflowed = false;
    }

    private static long mix(long key) {
        long h = key * 0x9E37_79B9_7F4A_7C15L;
        return h ^ (h >>> 29);
    }

    @FunctionalInterface
    interface Visitor {
        void flow(long destination, long packets, long bytes, long firstNanos, long lastNanos);
    }
}
