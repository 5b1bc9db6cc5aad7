package io.ringcap.capture;

import io.ringcap.linux.CallState;
import io.ringcap.linux.LinuxException;
import io.ringcap.linux.MemoryLock;
import io.ringcap.linux.NetworkInterfaces;
import io.ringcap.linux.SocketLayouts;
import io.ringcap.linux.Sockets;
import io.ringcap.linux.Syscalls;
import io.ringcap.linux.TimestampingLayouts;
import io.ringcap.linux.VirtualMemory;
import io.ringcap.ring.RecordDescriptor;
import io.ringcap.ring.RingWriter;
import io.ringcap.ring.TimestampSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static io.ringcap.linux.PacketSocketLayouts.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Source {@code afpacket}: an AF_PACKET socket with a TPACKET_V3 receive ring mapped into the process,
 * bound to one interface, with a classic BPF filter ({@link GroupFilter}) that lets in only the groups'
 * UDP traffic; the groups are joined on the interface so the network delivers them.
 *
 * <p>The capture thread reads the ring without any system call: it loads the status word of the current
 * block with acquire semantics, and once the kernel has set {@code TP_STATUS_USER} copies each packet of
 * the block into the packet ring (one copy), then hands the block back with a release store. Timestamps are
 * the kernel's per-packet {@code tp_sec}/{@code tp_nsec}: software (CLOCK_REALTIME) or, with hardware
 * timestamping, the NIC's raw clock. A VLAN tag the kernel moved into metadata is put back into the frame
 * as it was on the wire.
 *
 * <p>The kernel's counters (PACKET_STATISTICS) are read by {@link #counters()}, a getsockopt that resets
 * them, so the source adds them up; it is meant for the housekeeping thread.
 */
public final class AfPacketSource implements PacketSource {
    private static final int PACKET_TIMESTAMP_HARDWARE = TimestampingLayouts.SOF_TIMESTAMPING_RAW_HARDWARE;
    private static final int ETHERNET_ADDRESSES = 12;
    private static final int VLAN_TAG = 4;
    private static final ValueLayout.OfShort NET_SHORT =
        ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final String interfaceName;
    private final int interfaceIndex;
    private final int fd;
    private final MemorySegment ring;
    private final PacketRingGeometry geometry;
    private final GroupMembership membership;
    /** Opened by the constructor, on the thread that opens the source: in the interface's network namespace. */
    private final InterfaceStatistics interfaceStatistics;
    private final boolean hardwareTimestamps;
    private final String description;
    private final List<String> warnings;
    private final Arena counterArena = Arena.ofShared();
    private final MemorySegment statistics = counterArena.allocate(TPACKET_STATS_V3);
    private final MemorySegment statisticsLength = counterArena.allocate(JAVA_INT);
    private final CallState counterState = CallState.allocate(counterArena);
    private long kernelPackets;
    private long kernelDrops;

    private final long blockSize;
    private final long ringSize;
    private long blockOffset;
    private int packetsLeftInBlock;
    private long packetOffset;

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
        this.blockSize = geometry.blockSize();
        this.ringSize = geometry.ringSize();
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
     * Joins the PACKET_FANOUT group {@code groupId} (0..65535) in {@code mode} ({@code PACKET_FANOUT_HASH},
     * {@code _CPU}, {@code _LB}, …): sockets of one group on one interface share its packets, each getting a
     * part, so several capture threads (each with its own source and ring) can share a link. HASH keeps
     * each flow on one socket, so per-flow order holds.
     */
    public void joinFanout(int groupId, int mode) {
        if (groupId < 0 || groupId > 0xFFFF) {
            throw new IllegalArgumentException("fanout group id " + groupId + " is outside 0..65535");
        }
        try {
            Sockets.setOption(fd, SOL_PACKET, PACKET_FANOUT, groupId | mode << 16);
        } catch (LinuxException e) {
            throw new CaptureException("cannot join fanout group " + groupId + " on " + interfaceName + ": "
                + e.getMessage(), e);
        }
    }

    @Override
    public int poll(RingWriter writer, int limit) {
        MemorySegment ring = this.ring;
        int moved = 0;
        while (moved < limit) {
            if (packetsLeftInBlock == 0) {
                // Acquire: the kernel's writes of the block's packets are visible once it shows TP_STATUS_USER.
                if ((blockStatusAcquire(ring, blockOffset) & TP_STATUS_USER) == 0) {
                    break;
                }
                packetsLeftInBlock = ring.get(JAVA_INT, blockOffset + BLOCK_NUM_PKTS_OFFSET);
                packetOffset = blockOffset + ring.get(JAVA_INT, blockOffset + BLOCK_OFFSET_TO_FIRST_PKT_OFFSET);
                if (packetsLeftInBlock == 0) {
                    returnBlock(ring);
                    continue;
                }
            }
            copyPacket(writer, ring, packetOffset);
            moved++;
            if (--packetsLeftInBlock == 0) {
                returnBlock(ring);
            } else {
                packetOffset += ring.get(JAVA_INT, packetOffset + TP_NEXT_OFFSET_OFFSET);
            }
        }
        return moved;
    }

    /** Copies one packet into a ring record, putting back a VLAN tag the kernel took out of the frame. */
    private void copyPacket(RingWriter writer, MemorySegment ring, long packet) {
        int snapLength = ring.get(JAVA_INT, packet + TP_SNAPLEN_OFFSET);
        int wireLength = ring.get(JAVA_INT, packet + TP_LEN_OFFSET);
        int status = ring.get(JAVA_INT, packet + TP_STATUS_OFFSET);
        long frame = packet + Short.toUnsignedInt(ring.get(JAVA_SHORT, packet + TP_MAC_OFFSET));
        long timestamp = Integer.toUnsignedLong(ring.get(JAVA_INT, packet + TP_SEC_OFFSET)) * 1_000_000_000L
            + Integer.toUnsignedLong(ring.get(JAVA_INT, packet + TP_NSEC_OFFSET));
        boolean tagged = (status & TP_STATUS_VLAN_VALID) != 0 && snapLength >= ETHERNET_ADDRESSES;
        int extra = tagged ? VLAN_TAG : 0;
        int flags = (status & TP_STATUS_TS_RAW_HARDWARE) != 0 ? RecordDescriptor.FLAG_HARDWARE_TIMESTAMP : 0;
        int captured = snapLength + extra;
        if (captured > writer.maxCapturedLength()) {
            captured = writer.maxCapturedLength();
        }
        if (captured < wireLength + extra) {
            flags |= RecordDescriptor.FLAG_TRUNCATED;
        }
        MemorySegment buffer = writer.buffer();
        long at = writer.claim(captured);
        if (tagged) {
            int tpid = (status & TP_STATUS_VLAN_TPID_VALID) != 0
                ? Short.toUnsignedInt(ring.get(JAVA_SHORT, packet + TP_VLAN_TPID_OFFSET)) : GroupFilter.ETHERTYPE_VLAN;
            MemorySegment.copy(ring, frame, buffer, at, ETHERNET_ADDRESSES);
            buffer.set(NET_SHORT, at + ETHERNET_ADDRESSES, (short) tpid);
            buffer.set(NET_SHORT, at + ETHERNET_ADDRESSES + 2, (short) ring.get(JAVA_INT, packet + TP_VLAN_TCI_OFFSET));
            MemorySegment.copy(ring, frame + ETHERNET_ADDRESSES, buffer, at + ETHERNET_ADDRESSES + VLAN_TAG,
                captured - ETHERNET_ADDRESSES - VLAN_TAG);
        } else {
            MemorySegment.copy(ring, frame, buffer, at, captured);
        }
        writer.commit(captured, wireLength + extra, timestamp, interfaceIndex, flags);
    }

    /** Release: every read of the block happens before the kernel may refill it. */
    private void returnBlock(MemorySegment ring) {
        releaseBlock(ring, blockOffset);
        blockOffset += blockSize;
        if (blockOffset == ringSize) {
            blockOffset = 0;
        }
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
