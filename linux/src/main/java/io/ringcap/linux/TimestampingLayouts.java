package io.ringcap.linux;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Packet timestamping: the {@code SOF_TIMESTAMPING_*} flags for {@code SO_TIMESTAMPING}, the
 * {@code scm_timestamping} control message and the driver's {@code hwtstamp_config} for
 * {@code SIOCSHWTSTAMP}/{@code SIOCGHWTSTAMP} (from {@code <linux/net_tstamp.h>},
 * {@code <linux/errqueue.h>}).
 * <pre>
 * struct scm_timestamping (48 bytes)          struct hwtstamp_config (12 bytes)
 *  0 +---------------------------+              0 +-----------------+
 *    | ts[0] software   timespec |                | flags     int   |
 * 16 +---------------------------+              4 +-----------------+
 *    | ts[1] (deprecated, zero)  |                | tx_type   int   |
 * 32 +---------------------------+              8 +-----------------+
 *    | ts[2] raw hardware        |                | rx_filter int   |
 * 48 +---------------------------+             12 +-----------------+
 * </pre>
 */
public final class TimestampingLayouts {
    public static final int SOF_TIMESTAMPING_TX_HARDWARE = 1;
    public static final int SOF_TIMESTAMPING_TX_SOFTWARE = 1 << 1;
    /** Ask the NIC for receive timestamps (also needs SIOCSHWTSTAMP on the interface). */
    public static final int SOF_TIMESTAMPING_RX_HARDWARE = 1 << 2;
    /** Ask the kernel for receive timestamps in software. */
    public static final int SOF_TIMESTAMPING_RX_SOFTWARE = 1 << 3;
    /** Report software timestamps in ts[0]. */
    public static final int SOF_TIMESTAMPING_SOFTWARE = 1 << 4;
    public static final int SOF_TIMESTAMPING_SYS_HARDWARE = 1 << 5;
    /** Report hardware timestamps (the NIC's PHC clock) in ts[2]. */
    public static final int SOF_TIMESTAMPING_RAW_HARDWARE = 1 << 6;
    public static final int SOF_TIMESTAMPING_OPT_ID = 1 << 7;
    public static final int SOF_TIMESTAMPING_OPT_CMSG = 1 << 10;
    public static final int SOF_TIMESTAMPING_OPT_PKTINFO = 1 << 13;
    public static final int SOF_TIMESTAMPING_BIND_PHC = 1 << 15;

    public static final int HWTSTAMP_TX_OFF = 0;
    public static final int HWTSTAMP_TX_ON = 1;
    public static final int HWTSTAMP_FILTER_NONE = 0;
    /** Timestamp every received packet: what capture wants. */
    public static final int HWTSTAMP_FILTER_ALL = 1;
    public static final int HWTSTAMP_FILTER_SOME = 2;
    public static final int HWTSTAMP_FILTER_PTP_V2_EVENT = 12;
    public static final int HWTSTAMP_FILTER_NTP_ALL = 15;

    /** {@code struct scm_timestamping}: three timespecs. */
    public static final StructLayout SCM_TIMESTAMPING = MemoryLayout.structLayout(
        MemoryLayout.sequenceLayout(3, TimeLayouts.TIMESPEC).withName("ts"));
    public static final long SOFTWARE_TS_OFFSET = 0;
    public static final long HARDWARE_TS_OFFSET = 2 * TimeLayouts.TIMESPEC.byteSize();

    /** {@code struct hwtstamp_config}. */
    public static final StructLayout HWTSTAMP_CONFIG = MemoryLayout.structLayout(
        JAVA_INT.withName("flags"),
        JAVA_INT.withName("tx_type"),
        JAVA_INT.withName("rx_filter"));
    public static final long HWTSTAMP_FLAGS_OFFSET = HWTSTAMP_CONFIG.byteOffset(groupElement("flags"));
    public static final long HWTSTAMP_TX_TYPE_OFFSET = HWTSTAMP_CONFIG.byteOffset(groupElement("tx_type"));
    public static final long HWTSTAMP_RX_FILTER_OFFSET = HWTSTAMP_CONFIG.byteOffset(groupElement("rx_filter"));

    private TimestampingLayouts() {
    }
}
