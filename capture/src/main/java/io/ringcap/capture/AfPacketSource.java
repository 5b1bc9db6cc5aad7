package io.ringcap.capture;

import io.ringcap.linux.CallState;
import io.ringcap.linux.Errno;
import io.ringcap.linux.LinuxException;
import io.ringcap.linux.MemoryLock;
import io.ringcap.linux.NetworkInterfaces;
import io.ringcap.linux.SocketLayouts;
import io.ringcap.linux.Sockets;
import io.ringcap.linux.Syscalls;
import io.ringcap.linux.TimestampingLayouts;
import io.ringcap.linux.VirtualMemory;
import io.ringcap.ring.RingWriter;
import io.ringcap.ring.TimestampSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static io.ringcap.linux.PacketSocketLayouts.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Source {@code afpacket}: an AF_PACKET socket with a TPACKET_V3 receive ring mapped into the process,
 * bound to one interface, with a classic BPF filter ({@link GroupFilter}) that lets in only the groups'
 * UDP traffic; the groups are joined on the interface so the network delivers them.
 *
 * <p>The capture thread reads the ring without any system call ({@link TpacketV3Reader}): it loads the status
 * word of the current block with acquire semantics, and once the kernel has set {@code TP_STATUS_USER} copies
 * each packet of the block into the packet ring (one copy), then hands the block back with a release store.
 * Timestamps are the kernel's per-packet {@code tp_sec}/{@code tp_nsec}: software (CLOCK_REALTIME) or, with
 * hardware timestamping, the NIC's raw clock. A VLAN tag the kernel moved into metadata is put back into the
 * frame as it was on the wire.
 *
 * <p>The kernel's counters (PACKET_STATISTICS) are read by {@link #counters()}, a getsockopt that resets
 * them, so the source adds them up; it is meant for the housekeeping thread.
 */
public final class AfPacketSource implements PacketSource {
    private static final int PACKET_TIMESTAMP_HARDWARE = TimestampingLayouts.SOF_TIMESTAMPING_RAW_HARDWARE;

    private final String interfaceName;
    private final int interfaceIndex;
    private final int fd;
    private final MemorySegment ring;
    private final PacketRingGeometry geometry;
    private final GroupMembership membership;
    /** Opened by the constructor, on the thread that opens the source: in the interface's network namespace. */
    private final InterfaceStatistics interfaceStatistics;
    private final boolean hardwareTimestamps;
    private String description;
    private final List<String> warnings;
    private final Arena counterArena = Arena.ofShared();
    private final MemorySegment statistics = counterArena.allocate(TPACKET_STATS_V3);
    private final MemorySegment statisticsLength = counterArena.allocate(JAVA_INT);
    private final CallState counterState = CallState.allocate(counterArena);
    private long kernelPackets;
    private long kernelDrops;

    private final TpacketV3Reader blocks;

    private AfPacketSource(String interfaceName, int interfaceIndex, int fd, MemorySegment ring,
        PacketRingGeometry geometry, GroupMembership membership, boolean hardwareTimestamps,
        List<MulticastGroup> groups, List<String> warnings) {
        this.interfaceName = interfaceName;
        this.interfaceIndex = interfaceIndex;
        this.fd = fd;
        this.ring = ring;
        this.geometry = geometry;
        this.membership = membership;
        this.hardwareTimestamps = hardwareTimestamps;
        this.warnings = List.copyOf(warnings);
        this.interfaceStatistics = InterfaceStatistics.open(interfaceName);
        this.blocks = new TpacketV3Reader(ring, geometry, interfaceIndex);
        this.description = "afpacket " + interfaceName + " TPACKET_V3 " + geometry.blockCount() + "x"
            + (geometry.blockSize() >> 10) + "KiB " + (hardwareTimestamps ? "hardware" : "kernel") + " timestamps, "
            + groups.stream().map(MulticastGroup::toString).collect(Collectors.joining(" "));
    }

    /**
     * Opens the socket on {@code interfaceName}, maps, locks and pre-faults its ring, attaches the filter for
     * {@code groups}, binds and joins the groups. Needs CAP_NET_RAW (and CAP_NET_ADMIN for hardware
     * timestamps).
     *
     * @throws CaptureException         if the interface does not exist, privilege is missing, or hardware
     *                                  timestamps were required and the interface has none
     * @throws IllegalArgumentException if {@code groups} is empty
     */
    public static AfPacketSource open(String interfaceName, List<MulticastGroup> groups, PacketRingGeometry geometry,
        HardwareTimestamping hardwareTimestamping) {
        ClassicBpfProgram filter = GroupFilter.program(groups);
        int interfaceIndex = interfaceIndex(interfaceName);
        // Compiled before the socket is bound, so the first second of a fast feed finds the loop ready.
        ReceiveLoopWarmUp.afpacketOnce();
        List<String> warnings = new ArrayList<>();
        int fd;
        try {
            // Protocol 0: the socket receives nothing until bind, so no packet arrives before the ring is
            // mapped and pre-faulted and the filter is in place.
            fd = Sockets.open(SocketLayouts.AF_PACKET, SocketLayouts.SOCK_RAW | SocketLayouts.SOCK_CLOEXEC, 0);
        } catch (LinuxException e) {
            throw new CaptureException("cannot open an afpacket socket: " + e.getMessage(), e);
        }
        MemorySegment ring = null;
        try {
            Sockets.setOption(fd, SOL_PACKET, PACKET_VERSION, TPACKET_V3);
            boolean hardware = NicTimestamping.enable(interfaceName, hardwareTimestamping, warnings);
            if (hardware) {
                Sockets.setOption(fd, SOL_PACKET, PACKET_TIMESTAMP, PACKET_TIMESTAMP_HARDWARE);
            }
            ignoreOutgoing(fd, warnings);
            ring = mapRing(fd, geometry, warnings);
            try (Arena arena = Arena.ofConfined()) {
                Sockets.setOption(fd, SocketLayouts.SOL_SOCKET, SocketLayouts.SO_ATTACH_FILTER,
                    filter.writeSocketProgram(arena));
                MemorySegment address = arena.allocate(SOCKADDR_LL);
                writeSockaddrLl(address, ETH_P_ALL, interfaceIndex);
                Sockets.bind(fd, address);
            }
            GroupMembership membership = GroupMembership.join(interfaceName, interfaceIndex, groups);
            return new AfPacketSource(interfaceName, interfaceIndex, fd, ring, geometry, membership, hardware, groups,
                warnings);
        } catch (RuntimeException e) {
            if (ring != null) {
                VirtualMemory.unmap(ring);
            }
            Sockets.close(fd);
            throw e instanceof LinuxException linux
                ? new CaptureException("cannot set up afpacket capture on " + interfaceName + ": " + linux.getMessage(),
                    linux)
                : e;
        }
    }

    /**
     * Joins the PACKET_FANOUT group {@code group}: the sockets of one group on one interface share its packets,
     * each getting a part, so several captures (each with its own thread, ring and process) can share a link.
     * Call it after open and before the source's description goes into a ring header; the description says it.
     */
    public void joinFanout(FanoutGroup group) {
        try {
            Sockets.setOption(fd, SOL_PACKET, PACKET_FANOUT, group.id() | group.mode().kernelMode << 16);
        } catch (LinuxException e) {
            throw new CaptureException("cannot join fanout group " + group + " on " + interfaceName + ": "
                + e.getMessage() + (e.errno() == Errno.EINVAL ? " (a group of that number exists"
                + " on this interface in another mode, or with members of other settings)" : ""), e);
        }
        description += ", fanout " + group;
    }

    @Override
    public int poll(RingWriter writer, int limit) {
        return blocks.poll(writer, limit);
    }

    /**
     * Reads PACKET_STATISTICS (which resets the kernel's counts) and adds them to the totals. A system
     * call: not for the capture thread.
     */
    @Override
    public synchronized SourceCounters counters() {
        statisticsLength.set(JAVA_INT, 0, (int) TPACKET_STATS_V3.byteSize());
        counterState.check(Syscalls.getsockopt(counterState, fd, SOL_PACKET, PACKET_STATISTICS, statistics,
            statisticsLength), "getsockopt(SOL_PACKET, PACKET_STATISTICS)");
        // tp_packets already includes tp_drops (the kernel adds them): it counts every packet the filter let in.
        kernelPackets += Integer.toUnsignedLong(statistics.get(JAVA_INT, STATS_PACKETS_OFFSET));
        kernelDrops += Integer.toUnsignedLong(statistics.get(JAVA_INT, STATS_DROPS_OFFSET));
        return new SourceCounters(kernelPackets, kernelDrops);
    }

    @Override
    public SourceCounters interfaceCounters() {
        return interfaceStatistics == null ? null : interfaceStatistics.read();
    }

    @Override
    public TimestampSource timestampSource() {
        return hardwareTimestamps ? TimestampSource.HARDWARE : TimestampSource.KERNEL;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public List<MemorySegment> hotMemory() {
        return List.of(ring);
    }

    @Override
    public List<String> warnings() {
        return warnings;
    }

    /** The interface this source is bound to. */
    public String interfaceName() {
        return interfaceName;
    }

    /** The ring's shape. */
    public PacketRingGeometry geometry() {
        return geometry;
    }

    @Override
    public synchronized void close() {
        try {
            membership.close();
            if (interfaceStatistics != null) {
                interfaceStatistics.close();
            }
        } finally {
            try {
                VirtualMemory.unmap(ring);
            } finally {
                Sockets.close(fd);
                counterArena.close();
            }
        }
    }

    static int interfaceIndex(String interfaceName) {
        try {
            return NetworkInterfaces.indexOf(interfaceName);
        } catch (LinuxException e) {
            throw new CaptureException("no network interface '" + interfaceName + "' in this network namespace:"
                + " list them with 'ip link'", e);
        }
    }

    /** Packets this host sends are not what a capture of arrivals wants (Linux 4.20+; older kernels keep them). */
    private static void ignoreOutgoing(int fd, List<String> warnings) {
        try {
            Sockets.setOption(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, 1);
        } catch (LinuxException e) {
            warnings.add("this kernel cannot leave out outgoing packets (" + e.getMessage() + "): packets this host"
                + " sends to the groups on the interface are captured too");
        }
    }

    private static MemorySegment mapRing(int fd, PacketRingGeometry geometry, List<String> warnings) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment request = arena.allocate(TPACKET_REQ3);
            request.set(JAVA_INT, TP_BLOCK_SIZE_OFFSET, geometry.blockSize());
            request.set(JAVA_INT, TP_BLOCK_NR_OFFSET, geometry.blockCount());
            request.set(JAVA_INT, TP_FRAME_SIZE_OFFSET, geometry.frameSize());
            request.set(JAVA_INT, TP_FRAME_NR_OFFSET, geometry.frameCount());
            request.set(JAVA_INT, TP_RETIRE_BLK_TOV_OFFSET, geometry.retireTimeoutMillis());
            Sockets.setOption(fd, SOL_PACKET, PACKET_RX_RING, request);
        }
        MemorySegment ring = VirtualMemory.map(geometry.ringSize(), VirtualMemory.PROT_READ | VirtualMemory.PROT_WRITE,
            VirtualMemory.MAP_SHARED, fd, 0);
        // Before bind, while the kernel writes nothing: pre-faulting rewrites each page's first word, a block
        // status among them.
        try {
            MemoryLock.lockAndPrefault(ring);
        } catch (LinuxException e) {
            warnings.add("the afpacket ring is not locked in memory (" + e.getMessage() + "); its pages are"
                + " kernel pages mapped at set-up, so the capture thread still takes no fault there");
        }
        return ring;
    }
}
