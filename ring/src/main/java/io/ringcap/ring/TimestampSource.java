package io.ringcap.ring;

/** Where the nanoseconds in a ring's records come from. Stored in the ring header as {@link #code()}. */
public enum TimestampSource {
    /** Not stated by the writer. */
    UNKNOWN(0),
    /** The NIC's hardware clock (PTP hardware clock, usually disciplined to TAI or UTC). */
    HARDWARE(1),
    /** The kernel's receive timestamp (CLOCK_REALTIME when the packet was taken in). */
    KERNEL(2),
    /** Taken in user space by the capture thread. */
    USER(3),
    /** Taken in the XDP program from CLOCK_TAI and converted to UTC with the kernel's TAI offset. */
    XDP_TAI(4),
    /** Replayed from a capture file. */
    FILE(5);

    private final int code;

    TimestampSource(int code) {
        this.code = code;
    }

    /** The value stored in the ring header. */
    public int code() {
        return code;
    }

    /** The source stored as {@code code}; {@link #UNKNOWN} for a value this version does not know. */
    public static TimestampSource ofCode(int code) {
        for (TimestampSource source : values()) {
            if (source.code == code) {
                return source;
            }
        }
        return UNKNOWN;
    }
}
