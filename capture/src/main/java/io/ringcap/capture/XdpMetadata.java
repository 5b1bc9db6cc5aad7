package io.ringcap.capture;

/**
 * What ringcap's XDP program writes into a matched packet's metadata area ({@code bpf_xdp_adjust_meta}),
 * which the kernel copies into the UMEM frame right before the packet: the AF_XDP source reads it at
 * {@code frame address - SIZE}.
 * <pre>
 *   data - 16                  data - 8      data - 4     data
 *   | timestamp ns (u64, LE)   | flags u32   | magic u32  | Ethernet header …
 * </pre>
 * The magic says the program wrote this packet's metadata; the source clears it after reading, so a
 * frame whose metadata could not be added (the adjust failed) is not read with a previous packet's time.
 */
public final class XdpMetadata {
    /** Bytes of metadata before the frame. */
    public static final int SIZE = 16;
    public static final int TIMESTAMP_OFFSET = 0;
    public static final int FLAGS_OFFSET = 8;
    public static final int MAGIC_OFFSET = 12;
    /** "RCAP" read as a little-endian u32. */
    public static final int MAGIC = 0x50414352;
    /** The timestamp is the NIC's, from the rx-timestamp kfunc. */
    public static final int FLAG_HARDWARE = 1;
    /** The timestamp is {@code bpf_ktime_get_tai_ns()}: CLOCK_TAI when the program ran. */
    public static final int FLAG_TAI = 2;

    private XdpMetadata() {
    }
}
