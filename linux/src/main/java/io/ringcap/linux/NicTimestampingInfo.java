package io.ringcap.linux;

/**
 * What a NIC's driver says it can timestamp (ETHTOOL_GET_TS_INFO), as {@code ethtool -T} shows it.
 *
 * @param soTimestamping {@code SOF_TIMESTAMPING_*} capability bits, see {@link EthtoolLayouts}
 * @param phcIndex       the PTP hardware clock, {@code /dev/ptp<phcIndex>}; -1 if the NIC has none
 * @param txTypes        bit {@code n} set: HWTSTAMP_TX_ type {@code n} is supported
 * @param rxFilters      bit {@code n} set: HWTSTAMP_FILTER_ {@code n} is supported (bit 1: all packets)
 */
public record NicTimestampingInfo(int soTimestamping, int phcIndex, int txTypes, int rxFilters) {
    /** HWTSTAMP_FILTER_ALL: the NIC can stamp every received packet, which a capture needs. */
    private static final int FILTER_ALL = 1;

    /** Whether received packets can carry raw hardware timestamps. */
    public boolean hardwareReceive() {
        int needed = EthtoolLayouts.SOF_TIMESTAMPING_RX_HARDWARE | EthtoolLayouts.SOF_TIMESTAMPING_RAW_HARDWARE;
        return (soTimestamping & needed) == needed;
    }

    /** Whether every received packet can be stamped, not only PTP ones. */
    public boolean stampsAllReceived() {
        return (rxFilters & (1 << FILTER_ALL)) != 0;
    }
}
