package io.ringcap.linux;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The ethtool commands ringcap issues through {@code ioctl(SIOCETHTOOL)} ({@code ringcap doctor}, and the
 * afxdp source counting receive queues), with {@code ifr_data} pointing at one of these structures (from
 * {@code <linux/ethtool.h>}).
 * <pre>
 * struct ethtool_ts_info (44 bytes)          struct ethtool_drvinfo (196 bytes)
 *  0 | cmd = ETHTOOL_GET_TS_INFO u32 |        0 | cmd = ETHTOOL_GDRVINFO u32 |
 *  4 | so_timestamping u32 (SOF_*)   |        4 | driver[32]                 |
 *  8 | phc_index s32 (-1: no PHC)    |       36 | version[32]                |
 * 12 | tx_types u32 (1 &lt;&lt; HWTSTAMP_TX_*) |     68 | fw_version[32]             |
 * 16 | tx_reserved[3] u32            |      100 | bus_info[32]               |
 * 28 | rx_filters u32 (1 &lt;&lt; FILTER_*) |     132 | erom_version[32]           |
 * 32 | rx_reserved[3] u32            |      164 | reserved2[12]              |
 *                                            176 | n_priv_flags, n_stats, testinfo_len, eedump_len, regdump_len u32 |
 *
 * struct ethtool_channels (36 bytes)
 *  0 | cmd = ETHTOOL_GCHANNELS u32 |
 *  4 | max_rx, max_tx, max_other, max_combined u32 |
 * 20 | rx_count u32 | 24 | tx_count u32 | 28 | other_count u32 | 32 | combined_count u32 |
 * </pre>
 */
public final class EthtoolLayouts {
    public static final int ETHTOOL_GDRVINFO = 0x03;
    public static final int ETHTOOL_GET_TS_INFO = 0x41;
    public static final int ETHTOOL_GCHANNELS = 0x3c;

    /** {@code so_timestamping} bits (from {@code <linux/net_tstamp.h>}). */
    public static final int SOF_TIMESTAMPING_TX_HARDWARE = 1;
    public static final int SOF_TIMESTAMPING_TX_SOFTWARE = 1 << 1;
    public static final int SOF_TIMESTAMPING_RX_HARDWARE = 1 << 2;
    public static final int SOF_TIMESTAMPING_RX_SOFTWARE = 1 << 3;
    public static final int SOF_TIMESTAMPING_SOFTWARE = 1 << 4;
    public static final int SOF_TIMESTAMPING_RAW_HARDWARE = 1 << 6;

    /** {@code struct ethtool_ts_info}. */
    public static final StructLayout TS_INFO = MemoryLayout.structLayout(
        JAVA_INT.withName("cmd"),
        JAVA_INT.withName("so_timestamping"),
        JAVA_INT.withName("phc_index"),
        JAVA_INT.withName("tx_types"),
        MemoryLayout.sequenceLayout(3, JAVA_INT).withName("tx_reserved"),
        JAVA_INT.withName("rx_filters"),
        MemoryLayout.sequenceLayout(3, JAVA_INT).withName("rx_reserved"));
    public static final long TS_INFO_CMD_OFFSET = TS_INFO.byteOffset(groupElement("cmd"));
    public static final long TS_INFO_SO_TIMESTAMPING_OFFSET = TS_INFO.byteOffset(groupElement("so_timestamping"));
    public static final long TS_INFO_PHC_INDEX_OFFSET = TS_INFO.byteOffset(groupElement("phc_index"));
    public static final long TS_INFO_TX_TYPES_OFFSET = TS_INFO.byteOffset(groupElement("tx_types"));
    public static final long TS_INFO_RX_FILTERS_OFFSET = TS_INFO.byteOffset(groupElement("rx_filters"));

    /** Bytes of each string field of {@code struct ethtool_drvinfo}. */
    public static final int DRVINFO_STRING_LENGTH = 32;

    /** {@code struct ethtool_drvinfo}. */
    public static final StructLayout DRVINFO = MemoryLayout.structLayout(
        JAVA_INT.withName("cmd"),
        MemoryLayout.sequenceLayout(DRVINFO_STRING_LENGTH, JAVA_BYTE).withName("driver"),
        MemoryLayout.sequenceLayout(DRVINFO_STRING_LENGTH, JAVA_BYTE).withName("version"),
        MemoryLayout.sequenceLayout(DRVINFO_STRING_LENGTH, JAVA_BYTE).withName("fw_version"),
        MemoryLayout.sequenceLayout(DRVINFO_STRING_LENGTH, JAVA_BYTE).withName("bus_info"),
        MemoryLayout.sequenceLayout(DRVINFO_STRING_LENGTH, JAVA_BYTE).withName("erom_version"),
        MemoryLayout.sequenceLayout(12, JAVA_BYTE).withName("reserved2"),
        JAVA_INT.withName("n_priv_flags"),
        JAVA_INT.withName("n_stats"),
        JAVA_INT.withName("testinfo_len"),
        JAVA_INT.withName("eedump_len"),
        JAVA_INT.withName("regdump_len"));
    public static final long DRVINFO_CMD_OFFSET = DRVINFO.byteOffset(groupElement("cmd"));
    public static final long DRVINFO_DRIVER_OFFSET = DRVINFO.byteOffset(groupElement("driver"));
    public static final long DRVINFO_VERSION_OFFSET = DRVINFO.byteOffset(groupElement("version"));
    public static final long DRVINFO_FW_VERSION_OFFSET = DRVINFO.byteOffset(groupElement("fw_version"));
    public static final long DRVINFO_BUS_INFO_OFFSET = DRVINFO.byteOffset(groupElement("bus_info"));

    /** {@code struct ethtool_channels}. */
    public static final StructLayout CHANNELS = MemoryLayout.structLayout(
        JAVA_INT.withName("cmd"),
        JAVA_INT.withName("max_rx"),
        JAVA_INT.withName("max_tx"),
        JAVA_INT.withName("max_other"),
        JAVA_INT.withName("max_combined"),
        JAVA_INT.withName("rx_count"),
        JAVA_INT.withName("tx_count"),
        JAVA_INT.withName("other_count"),
        JAVA_INT.withName("combined_count"));
    public static final long CHANNELS_RX_COUNT_OFFSET = CHANNELS.byteOffset(groupElement("rx_count"));
    public static final long CHANNELS_COMBINED_COUNT_OFFSET = CHANNELS.byteOffset(groupElement("combined_count"));

    private EthtoolLayouts() {
    }
}
