package io.ringcap.linux;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * A driver's hardware timestamping setting ({@code struct hwtstamp_config}).
 *
 * @param flags    {@code HWTSTAMP_FLAG_*}
 * @param txType   {@code HWTSTAMP_TX_*}
 * @param rxFilter {@code HWTSTAMP_FILTER_*}: which received packets get a hardware timestamp
 */
public record HardwareTimestampConfig(int flags, int txType, int rxFilter) {
    /** Timestamp every received packet, nothing sent: what capture asks for. */
    public static HardwareTimestampConfig receiveAll() {
        return new HardwareTimestampConfig(
            0, TimestampingLayouts.HWTSTAMP_TX_OFF, TimestampingLayouts.HWTSTAMP_FILTER_ALL);
    }

    /** Whether every received packet is timestamped. */
    public boolean timestampsAllReceived() {
        return rxFilter == TimestampingLayouts.HWTSTAMP_FILTER_ALL;
    }

    static HardwareTimestampConfig readFrom(MemorySegment config) {
        return new HardwareTimestampConfig(
            config.get(JAVA_INT, TimestampingLayouts.HWTSTAMP_FLAGS_OFFSET),
            config.get(JAVA_INT, TimestampingLayouts.HWTSTAMP_TX_TYPE_OFFSET),
            config.get(JAVA_INT, TimestampingLayouts.HWTSTAMP_RX_FILTER_OFFSET));
    }

    void writeTo(MemorySegment config) {
        config.set(JAVA_INT, TimestampingLayouts.HWTSTAMP_FLAGS_OFFSET, flags);
        config.set(JAVA_INT, TimestampingLayouts.HWTSTAMP_TX_TYPE_OFFSET, txType);
        config.set(JAVA_INT, TimestampingLayouts.HWTSTAMP_RX_FILTER_OFFSET, rxFilter);
    }
}
