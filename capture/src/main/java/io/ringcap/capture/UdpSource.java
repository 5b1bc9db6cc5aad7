package io.ringcap.capture;

import io.ringcap.linux.CallState;
import io.ringcap.linux.Clocks;
import io.ringcap.linux.Errno;
import io.ringcap.linux.LinuxException;
import io.ringcap.linux.MessageBatch;
import io.ringcap.linux.MessageLayouts;
import io.ringcap.linux.SocketLayouts;
import io.ringcap.linux.Sockets;
import io.ringcap.linux.TimestampingLayouts;
import io.ringcap.ring.RecordDescriptor;
import io.ringcap.ring.RingWriter;
import io.ringcap.ring.TimestampSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Collectors;

import static io.ringcap.linux.SocketLayouts.*;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Source {@code udp}: one ordinary UDP socket per group, bound to the group's address and port and
 * joined on the interface; no privilege needed. The capture thread takes datagrams with non-blocking
 * recvmmsg from each socket in turn (a system call per socket and poll: this source trades the afpacket
 * source's zero system calls for needing no privilege).
 *
 * <p>A socket delivers payloads, so each record holds a frame {@link FrameSynthesizer} builds around the
 * payload: the group's multicast MAC, the sender's address and port from the datagram, the group's
 * address and port, flagged {@link RecordDescriptor#FLAG_SYNTHESIZED}. The kernel's receive timestamp
 * comes with each datagram (SO_TIMESTAMPNS, or SO_TIMESTAMPING with hardware stamps); the socket's drop
 * count (SO_RXQ_OVFL) rides along too, so counting drops needs no extra system call.
 *
 * <p>Datagrams are received into a batch buffer and copied once into the ring behind the synthesized
 * headers: recvmmsg fills several buffers whose lengths are known only afterwards, and consecutive ring
 * records cannot be claimed before their lengths are known.
 */
public final class UdpSource implements PacketSource {
    /** Datagrams one recvmmsg may return. */
    public static final int BATCH = 32;
    /**
     * Bytes asked for per socket receive buffer (capped by net.core.rmem_max without CAP_NET_ADMIN): with 8 MiB
     * a capture started under 640k datagrams/s on veth lost 4.8-8.2% of them, with 64 MiB 0-2.3% (5 runs). The kernel
     * takes the memory only while datagrams wait.
     */
    public static final int RECEIVE_BUFFER = 64 << 20;
    /** Buffer bytes per datagram a parked capture may let wait: small datagrams are charged ~1-2 KiB each, kept at twice. */
    private static final int PARKED_BYTES_PER_DATAGRAM = 8192;
    private static final int CONTROL_SPACE = (int) (MessageLayouts.cmsgSpace(TimestampingLayouts.SCM_TIMESTAMPING.byteSize())
        + MessageLayouts.cmsgSpace(16) + MessageLayouts.cmsgSpace(Integer.BYTES));
    private static final int RECEIVE_FLAGS = MSG_DONTWAIT | MSG_TRUNC;
    private static final int TIMESTAMPING_FLAGS = TimestampingLayouts.SOF_TIMESTAMPING_RX_HARDWARE
        | TimestampingLayouts.SOF_TIMESTAMPING_RAW_HARDWARE | TimestampingLayouts.SOF_TIMESTAMPING_RX_SOFTWARE
        | TimestampingLayouts.SOF_TIMESTAMPING_SOFTWARE;
    private static final VarHandle RECEIVED;
    private static final VarHandle DROPPED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            RECEIVED = lookup.findVarHandle(UdpSource.class, "received", long.class);
            DROPPED = lookup.findVarHandle(UdpSource.class, "dropped", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int[] fds;
    private final int parkedBatch;
    private final MulticastGroup[] groups;
    private final long[] socketDrops;
    private final int interfaceIndex;
    private final boolean hardwareTimestamps;
    private final String description;
    private final List<String> warnings;
    private final Arena arena = Arena.ofShared();
    private final CallState state = CallState.allocate(arena);
    private final MessageBatch batch = MessageBatch.allocate(arena, BATCH, FrameSynthesizer.MAX_PAYLOAD, CONTROL_SPACE);
    private final MemorySegment[] controls = new MemorySegment[BATCH];
    private int nextSocket;
    private long receiveErrors;
    /** Written by the capture thread only, read by the housekeeping thread (opaque). */
    @SuppressWarnings("unused")
    private long received;
    @SuppressWarnings("unused")
    private long dropped;

    /** Opened by the constructor, on the thread that opens the source: in the interface's network namespace. */
    private final InterfaceStatistics interfaceStatistics;

    private UdpSource(int[] fds, MulticastGroup[] groups, int interfaceIndex, boolean hardwareTimestamps,
        String interfaceName, List<String> warnings) {
        this.fds = fds;
        this.parkedBatch = parkedBatch(fds);
        this.groups = groups;
        this.socketDrops = new long[fds.length];
        this.interfaceIndex = interfaceIndex;
        this.hardwareTimestamps = hardwareTimestamps;
        this.warnings = List.copyOf(warnings);
        this.interfaceStatistics = InterfaceStatistics.open(interfaceName);
        this.description = "udp " + interfaceName + " recvmmsg " + (hardwareTimestamps ? "hardware" : "kernel")
            + " timestamps, " + List.of(groups).stream().map(MulticastGroup::toString).collect(Collectors.joining(" "));
        long messageSize = MessageLayouts.MMSGHDR.byteSize();
        for (int i = 0; i < BATCH; i++) {
            // The batch's control buffers, viewed once here so the receive loop reads SO_RXQ_OVFL without allocating.
            controls[i] = batch.messages().get(ADDRESS, i * messageSize + MessageLayouts.MSG_CONTROL_OFFSET)
                .reinterpret(CONTROL_SPACE);
        }
    }

    /**
     * Opens, binds and joins one socket per group on {@code interfaceName}.
     *
     * @throws IllegalArgumentException if a group has no port (a socket must bind one) or there is none
     * @throws CaptureException         if the interface does not exist, a socket cannot bind or join, or
     *                                  hardware timestamps were required and the interface has none
     */
    public static UdpSource open(String interfaceName, List<MulticastGroup> groups,
        HardwareTimestamping hardwareTimestamping) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("a capture needs at least one group");
        }
        for (MulticastGroup group : groups) {
            if (group.anyPort()) {
                throw new IllegalArgumentException("the udp source needs a port for every group, and " + group
                    + " has none: give ADDRESS:PORT, or use --source afpacket to capture every port of a group");
            }
        }
        MulticastGroup[] distinct = new LinkedHashSet<>(groups).toArray(MulticastGroup[]::new);
        int interfaceIndex = AfPacketSource.interfaceIndex(interfaceName);
        List<String> warnings = new ArrayList<>();
        boolean hardware = NicTimestamping.enable(interfaceName, hardwareTimestamping, warnings);
        int[] fds = new int[distinct.length];
        int opened = 0;
        try {
            for (MulticastGroup group : distinct) {
                fds[opened] = openSocket(interfaceName, interfaceIndex, group, hardware, warnings);
                opened++;
            }
            return new UdpSource(fds, distinct, interfaceIndex, hardware, interfaceName, warnings);
        } catch (RuntimeException e) {
            for (int i = 0; i < opened; i++) {
                Sockets.close(fds[i]);
            }
            throw e;
        }
    }

    @Override
    public int poll(RingWriter writer, int limit) {
        int moved = 0;
        for (int tried = 0; tried < fds.length && moved < limit; tried++) {
            int socket = nextSocket;
            nextSocket = socket + 1 == fds.length ? 0 : socket + 1;
            int count = batch.receive(state, fds[socket], RECEIVE_FLAGS);
            if (count < 0) {
                int errno = state.errno();
                if (errno != Errno.EAGAIN && errno != Errno.EINTR) {
                    receiveErrors++;
                }
                continue;
            }
            MulticastGroup group = groups[socket];
            for (int i = 0; i < count; i++) {
                write(writer, i, group);
                noteDrops(socket, i);
            }
            moved += count;
        }
        if (moved > 0) {
            RECEIVED.setOpaque(this, (long) RECEIVED.getOpaque(this) + moved);
        }
        return moved;
    }

    private void write(RingWriter writer, int i, MulticastGroup group) {
        int payloadLength = batch.length(i);
        int kept = Math.min(Math.min(payloadLength, FrameSynthesizer.MAX_PAYLOAD),
            writer.maxCapturedLength() - FrameSynthesizer.HEADER_LENGTH);
        int flags = RecordDescriptor.FLAG_SYNTHESIZED;
        if (kept < payloadLength) {
            flags |= RecordDescriptor.FLAG_TRUNCATED;
        }
        long timestamp = hardwareTimestamps ? batch.hardwareTimestampNanos(i) : -1;
        if (timestamp > 0) {
            flags |= RecordDescriptor.FLAG_HARDWARE_TIMESTAMP;
        } else {
            timestamp = batch.kernelTimestampNanos(i);
            if (timestamp < 0) {
                timestamp = Clocks.realtimeNanos();
            }
        }
        int captured = FrameSynthesizer.HEADER_LENGTH + kept;
        long at = writer.claim(captured);
        MemorySegment buffer = writer.buffer();
        FrameSynthesizer.writeHeaders(buffer, at, batch.sourceAddress(i), batch.sourcePort(i), group.address(),
            group.port(), payloadLength);
        MemorySegment.copy(batch.frames(), batch.frameOffset(i), buffer, at + FrameSynthesizer.HEADER_LENGTH, kept);
        writer.commit(captured, FrameSynthesizer.HEADER_LENGTH + payloadLength, timestamp, interfaceIndex, flags);
    }

    /** SO_RXQ_OVFL: the socket's running drop count as of this datagram, when it is not zero. */
    private void noteDrops(int socket, int i) {
        long controlLength = batch.messages().get(JAVA_LONG,
            i * MessageLayouts.MMSGHDR.byteSize() + MessageLayouts.MSG_CONTROLLEN_OFFSET);
        long data = MessageLayouts.findControlMessage(controls[i], 0, controlLength, SOL_SOCKET, SO_RXQ_OVFL);
        if (data >= 0) {
            long drops = Integer.toUnsignedLong(controls[i].get(JAVA_INT, data));
            if (drops > socketDrops[socket]) {
                DROPPED.setOpaque(this, (long) DROPPED.getOpaque(this) + drops - socketDrops[socket]);
                socketDrops[socket] = drops;
            }
        }
    }

    /** Datagrams received plus those the sockets dropped, as of the last poll; no system call. */
    @Override
    public SourceCounters counters() {
        long drops = (long) DROPPED.getOpaque(this);
        return new SourceCounters((long) RECEIVED.getOpaque(this) + drops, drops);
    }

    /** recvmmsg failures other than "nothing waiting"; read on the capture thread or after it stopped. */
    public long receiveErrors() {
        return receiveErrors;
    }

    @Override
    public SourceCounters interfaceCounters() {
        return interfaceStatistics == null ? null : interfaceStatistics.read();
    }

    /**
     * From the smallest receive buffer the kernel granted: a small datagram is charged its buffer's true size
     * (~1-2 KiB) and a wake-up may find twice the batch, so the batch is a buffer's bytes / 8 KiB, at most the
     * default: 4096 with 64 MiB, 52 with an unprivileged 208 KiB.
     */
    @Override
    public int parkedBatch() {
        return parkedBatch;
    }

    private static int parkedBatch(int[] fds) {
        int smallest = Integer.MAX_VALUE;
        for (int fd : fds) {
            smallest = Math.min(smallest, Sockets.intOption(fd, SOL_SOCKET, SO_RCVBUF));
        }
        return Math.clamp(smallest / PARKED_BYTES_PER_DATAGRAM, 16, BatchingIdleStrategy.DEFAULT_TARGET_BATCH);
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
        return List.of(batch.frames());
    }

    @Override
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public void close() {
        if (interfaceStatistics != null) {
            interfaceStatistics.close();
        }
        try {
            for (int fd : fds) {
                Sockets.close(fd);
            }
        } finally {
            arena.close();
        }
    }

    private static int openSocket(String interfaceName, int interfaceIndex, MulticastGroup group, boolean hardware,
        List<String> warnings) {
        int fd = Sockets.open(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        try {
            Sockets.setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1);
            receiveBuffer(fd, warnings);
            if (hardware) {
                Sockets.setOption(fd, SOL_SOCKET, SO_TIMESTAMPING, TIMESTAMPING_FLAGS);
            } else {
                Sockets.setOption(fd, SOL_SOCKET, SO_TIMESTAMPNS, 1);
            }
            Sockets.setOption(fd, SOL_SOCKET, SO_RXQ_OVFL, 1);
            try (Arena arena = Arena.ofConfined()) {
                // Bound to the group's address, the socket gets only that group's datagrams, not every
                // group any socket of the host joined on this port.
                MemorySegment address = arena.allocate(SOCKADDR_IN);
                writeSockaddrIn(address, group.address(), group.port());
                Sockets.bind(fd, address);
            }
            GroupMembership.joinOne(fd, interfaceName, interfaceIndex, group);
            return fd;
        } catch (LinuxException e) {
            Sockets.close(fd);
            throw new CaptureException("cannot set up a udp socket for " + group + " on " + interfaceName + ": "
                + e.getMessage(), e);
        } catch (RuntimeException e) {
            Sockets.close(fd);
            throw e;
        }
    }

    /** A big buffer rides out the capture thread's hiccups; beyond rmem_max only with CAP_NET_ADMIN. */
    private static void receiveBuffer(int fd, List<String> warnings) {
        try {
            Sockets.setOption(fd, SOL_SOCKET, SO_RCVBUFFORCE, RECEIVE_BUFFER);
        } catch (LinuxException e) {
            Sockets.setOption(fd, SOL_SOCKET, SO_RCVBUF, RECEIVE_BUFFER);
            int granted = Sockets.intOption(fd, SOL_SOCKET, SO_RCVBUF) / 2;
            if (granted < RECEIVE_BUFFER && warnings.stream().noneMatch(w -> w.startsWith("socket receive buffer"))) {
                warnings.add("socket receive buffer is " + granted + " bytes, not " + RECEIVE_BUFFER
                    + ": raise net.core.rmem_max, or run with CAP_NET_ADMIN");
            }
        }
    }
}
