package io.ringcap.linux;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code struct ifreq}, the interface ioctls and interface flags (from {@code <linux/if.h>},
 * {@code <linux/sockios.h>}).
 * <pre>
 * struct ifreq (40 bytes)
 *  0 +--------------------------------------------------------------+
 *    | ifr_name[IFNAMSIZ=16], NUL-terminated                        |
 * 16 +--------------------------------------------------------------+
 *    | union: ifr_ifindex int | ifr_flags s16 | ifr_data void* | …    |
 *    | (24 bytes: the largest member is struct ifmap)               |
 * 40 +--------------------------------------------------------------+
 * </pre>
 * SIOCSHWTSTAMP/SIOCGHWTSTAMP and SIOCETHTOOL pass a pointer in {@code ifr_data}
 * ({@link TimestampingLayouts#HWTSTAMP_CONFIG}, an ethtool command structure).
 */
public final class InterfaceLayouts {
    /** Bytes of an interface name including its terminating NUL. */
    public static final int IFNAMSIZ = 16;

    public static final long SIOCGIFFLAGS = 0x8913;
    public static final long SIOCGIFINDEX = 0x8933;
    public static final long SIOCETHTOOL = 0x8946;
    public static final long SIOCSHWTSTAMP = 0x89b0;
    public static final long SIOCGHWTSTAMP = 0x89b1;

    public static final int IFF_UP = 0x1;
    public static final int IFF_BROADCAST = 0x2;
    public static final int IFF_LOOPBACK = 0x8;
    public static final int IFF_RUNNING = 0x40;
    public static final int IFF_PROMISC = 0x100;
    public static final int IFF_ALLMULTI = 0x200;
    public static final int IFF_MULTICAST = 0x1000;

    /** {@code struct ifreq}. */
    public static final StructLayout IFREQ = MemoryLayout.structLayout(
        MemoryLayout.sequenceLayout(IFNAMSIZ, JAVA_BYTE).withName("ifr_name"),
        MemoryLayout.unionLayout(
            JAVA_INT.withName("ifr_ifindex"),
            JAVA_SHORT.withName("ifr_flags"),
            ADDRESS.withName("ifr_data"),
            MemoryLayout.sequenceLayout(24, JAVA_BYTE).withName("ifr_map")).withName("ifr_ifru"));
    public static final long IFR_NAME_OFFSET = IFREQ.byteOffset(groupElement("ifr_name"));
    public static final long IFR_IFINDEX_OFFSET = IFREQ.byteOffset(groupElement("ifr_ifru"), groupElement("ifr_ifindex"));
    public static final long IFR_FLAGS_OFFSET = IFREQ.byteOffset(groupElement("ifr_ifru"), groupElement("ifr_flags"));
    public static final long IFR_DATA_OFFSET = IFREQ.byteOffset(groupElement("ifr_ifru"), groupElement("ifr_data"));

    private InterfaceLayouts() {
    }
}
