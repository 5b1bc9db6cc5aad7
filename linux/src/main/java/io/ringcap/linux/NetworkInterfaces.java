package io.ringcap.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/** Network interfaces by name: their index, flags and hardware timestamping configuration. */
public final class NetworkInterfaces {
    private NetworkInterfaces() {
    }

    /** The kernel's index of the interface {@code name} (what bind and ip_mreqn want); {@code lo} is 1. */
    public static int indexOf(String name) {
        CallState state = CallState.ofCurrentThread();
        try (Arena arena = Arena.ofConfined()) {
            int index = Syscalls.ifNameToIndex(state, arena.allocateFrom(name));
            if (index == 0) {
                throw LinuxException.of("if_nametoindex(" + name + ")", state.errno(), noSuchInterface(name));
            }
            return index;
        }
    }

    /** The interface's {@code IFF_*} flags (see {@link InterfaceLayouts}), e.g. to check it is up. */
    public static int flags(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifreq = ifreq(arena, name);
            ioctl(name, InterfaceLayouts.SIOCGIFFLAGS, "SIOCGIFFLAGS", ifreq);
            return Short.toUnsignedInt(ifreq.get(JAVA_SHORT, InterfaceLayouts.IFR_FLAGS_OFFSET));
        }
    }

    /** The driver's current hardware timestamping configuration (SIOCGHWTSTAMP). */
    public static HardwareTimestampConfig hardwareTimestamping(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment config = arena.allocate(TimestampingLayouts.HWTSTAMP_CONFIG);
            MemorySegment ifreq = ifreq(arena, name);
            ifreq.set(ADDRESS, InterfaceLayouts.IFR_DATA_OFFSET, config);
            ioctl(name, InterfaceLayouts.SIOCGHWTSTAMP, "SIOCGHWTSTAMP", ifreq);
            return HardwareTimestampConfig.readFrom(config);
        }
    }

    /**
     * Asks the driver for {@code wanted} (SIOCSHWTSTAMP, needs CAP_NET_ADMIN) and returns what it
     * applied, which may be wider (e.g. {@code HWTSTAMP_FILTER_ALL} for a PTP-only request).
     */
    public static HardwareTimestampConfig configureHardwareTimestamping(String name, HardwareTimestampConfig wanted) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment config = arena.allocate(TimestampingLayouts.HWTSTAMP_CONFIG);
            wanted.writeTo(config);
            MemorySegment ifreq = ifreq(arena, name);
            ifreq.set(ADDRESS, InterfaceLayouts.IFR_DATA_OFFSET, config);
            ioctl(name, InterfaceLayouts.SIOCSHWTSTAMP, "SIOCSHWTSTAMP", ifreq);
            return HardwareTimestampConfig.readFrom(config);
        }
    }

    /** What the NIC can timestamp and its PTP hardware clock (ETHTOOL_GET_TS_INFO); needs no privilege. */
    public static NicTimestampingInfo timestampingInfo(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = ethtool(arena, name, EthtoolLayouts.TS_INFO, EthtoolLayouts.ETHTOOL_GET_TS_INFO,
                "ETHTOOL_GET_TS_INFO");
            return new NicTimestampingInfo(info.get(JAVA_INT, EthtoolLayouts.TS_INFO_SO_TIMESTAMPING_OFFSET),
                info.get(JAVA_INT, EthtoolLayouts.TS_INFO_PHC_INDEX_OFFSET),
                info.get(JAVA_INT, EthtoolLayouts.TS_INFO_TX_TYPES_OFFSET),
                info.get(JAVA_INT, EthtoolLayouts.TS_INFO_RX_FILTERS_OFFSET));
        }
    }

    /** The NIC's driver name, e.g. "ixgbe", "mlx5_core", "virtio_net" (ETHTOOL_GDRVINFO). */
    public static String driver(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = ethtool(arena, name, EthtoolLayouts.DRVINFO, EthtoolLayouts.ETHTOOL_GDRVINFO,
                "ETHTOOL_GDRVINFO");
            return info.asSlice(EthtoolLayouts.DRVINFO_DRIVER_OFFSET, EthtoolLayouts.DRVINFO_STRING_LENGTH).getString(0);
        }
    }

    /**
     * How many receive queues the interface has (ETHTOOL_GCHANNELS: receive-only plus combined channels), as seen
     * from the calling thread's network namespace; needs no privilege. Fails (EOPNOTSUPP) for drivers that do not
     * report channels.
     */
    public static int receiveQueueCount(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment channels = ethtool(arena, name, EthtoolLayouts.CHANNELS, EthtoolLayouts.ETHTOOL_GCHANNELS,
                "ETHTOOL_GCHANNELS");
            return channels.get(JAVA_INT, EthtoolLayouts.CHANNELS_RX_COUNT_OFFSET)
                + channels.get(JAVA_INT, EthtoolLayouts.CHANNELS_COMBINED_COUNT_OFFSET);
        }
    }

    /** Issues ethtool command {@code cmd} (its structure's first field) and returns the filled structure. */
    private static MemorySegment ethtool(Arena arena, String name, MemoryLayout layout, int cmd, String cmdName) {
        MemorySegment command = arena.allocate(layout);
        command.set(JAVA_INT, 0, cmd);
        MemorySegment ifreq = ifreq(arena, name);
        ifreq.set(ADDRESS, InterfaceLayouts.IFR_DATA_OFFSET, command);
        ioctl(name, InterfaceLayouts.SIOCETHTOOL, "SIOCETHTOOL " + cmdName, ifreq);
        return command;
    }

    private static MemorySegment ifreq(Arena arena, String name) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length >= InterfaceLayouts.IFNAMSIZ) {
            throw LinuxException.of("ifreq(" + name + ")", Errno.ENODEV, noSuchInterface(name));
        }
        MemorySegment ifreq = arena.allocate(InterfaceLayouts.IFREQ);
        MemorySegment.copy(bytes, 0, ifreq, JAVA_BYTE, InterfaceLayouts.IFR_NAME_OFFSET, bytes.length);
        return ifreq;
    }

    private static void ioctl(String name, long request, String requestName, MemorySegment ifreq) {
        CallState state = CallState.ofCurrentThread();
        int fd = Sockets.open(SocketLayouts.AF_INET, SocketLayouts.SOCK_DGRAM | SocketLayouts.SOCK_CLOEXEC, 0);
        try {
            if (Syscalls.ioctl(state, fd, request, ifreq) < 0) {
                int errno = state.errno();
                String call = "ioctl(" + name + ", " + requestName + ")";
                throw errno == Errno.ENODEV
                    ? LinuxException.of(call, errno, noSuchInterface(name))
                    : LinuxException.of(call, errno);
            }
        } finally {
            Syscalls.close(state, fd);
        }
    }

    private static String noSuchInterface(String name) {
        return "there is no network interface named '" + name + "' in this network namespace "
            + "(names have at most 15 characters): list them with `ip link`";
    }
}
