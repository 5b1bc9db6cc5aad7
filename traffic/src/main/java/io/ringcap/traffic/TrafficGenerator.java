package io.ringcap.traffic;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.ringcap.linux.CallState;
import io.ringcap.linux.Errno;
import io.ringcap.linux.LinuxException;
import io.ringcap.linux.MessageBatch;
import io.ringcap.linux.MessageLayouts;
import io.ringcap.linux.NetworkInterfaces;
import io.ringcap.linux.SocketLayouts;
import io.ringcap.linux.Sockets;
import io.ringcap.linux.Syscalls;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Sends sequence-numbered UDP multicast at a precise rate: the traffic ringcap's captures are
 * tested and measured with. Every payload starts with a {@link MoldHeader}; each group of the
 * {@link TrafficPlan} gets its own sequence numbers from 1, and the groups take turns packet by
 * packet.
 * <p>
 * The socket is opened in the network namespace of the thread that calls {@link #open}, sends out
 * of the plan's interface (IP_MULTICAST_IF) with TTL 1 so that no router forwards it, and does not
 * loop its packets back to local listeners. {@link #run} may then be called on any one thread
 * (pin it first for a steady rate); it allocates nothing and takes no lock until it has finished.
 * <p>
 * Pacing is a token bucket on {@link System#nanoTime()}, busy-waited: packet {@code k} (from 0)
 * is due {@code k / rate} seconds after the start, and every packet due and not yet sent goes in
 * the next sendmmsg, up to {@link #BATCH}. A sender that fell behind (descheduled, or a rate above
 * what it can do) catches up in full batches, so the average rate stays exact while the spacing
 * does not. Not thread-safe, except {@link #requestStop()}.
 */
public final class TrafficGenerator implements AutoCloseable {
    /** The most packets one sendmmsg carries. */
    public static final int BATCH = 64;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final int SEND_BUFFER = 4 << 20;
    private static final int FIRST_SEQUENCE = 1;

    private final TrafficPlan plan;
    private final Arena arena = Arena.ofShared();
    private final CallState state = CallState.allocate(arena);
    private final MessageBatch batch;
    /** {@code vectors[g]} is the mmsghdr vector from slot {@code g}: a batch that starts with group {@code g}. */
    private final MemorySegment[] vectors;
    private final long[] nextSequence;
    private final int groupCount;
    private final int fd;
    private long enobufs;
    private long eagain;
    private long eintr;
    private volatile boolean stopRequested;
    private boolean ran;

    private TrafficGenerator(TrafficPlan plan, int fd) {
        this.plan = plan;
        this.fd = fd;
        this.groupCount = plan.groups().size();
        // Slot j always goes to group j % groups, so whichever group a batch starts with, the next
        // BATCH slots from it take the groups in turn; nothing is re-addressed in the loop.
        this.batch = MessageBatch.allocate(arena, BATCH + groupCount - 1, plan.payloadSize(), 0);
        this.vectors = new MemorySegment[groupCount];
        this.nextSequence = new long[groupCount];
        byte[] session = MoldHeader.sessionBytes(plan.session());
        for (int slot = 0; slot < batch.count(); slot++) {
            GroupAddress group = plan.groups().get(slot % groupCount);
            batch.prepareToSend(slot, plan.payloadSize(), group.address(), group.port());
            writePayload(batch.frames(), batch.frameOffset(slot), plan.payloadSize(), session);
        }
        for (int g = 0; g < groupCount; g++) {
            vectors[g] = batch.messages().asSlice(g * MessageLayouts.MMSGHDR.byteSize());
            nextSequence[g] = FIRST_SEQUENCE;
        }
    }

    /**
     * Opens the sending socket in the calling thread's network namespace and prepares every
     * packet. Throws {@code LinuxException} if the interface does not exist there or the socket
     * cannot be set up.
     */
    public static TrafficGenerator open(TrafficPlan plan) {
        int interfaceIndex = NetworkInterfaces.indexOf(plan.interfaceName());
        int fd = Sockets.open(SocketLayouts.AF_INET, SocketLayouts.SOCK_DGRAM | SocketLayouts.SOCK_CLOEXEC, 0);
        try {
            Sockets.setMulticastInterface(fd, interfaceIndex);
            Sockets.setOption(fd, SocketLayouts.IPPROTO_IP, SocketLayouts.IP_MULTICAST_TTL, 1);
            Sockets.setOption(fd, SocketLayouts.IPPROTO_IP, SocketLayouts.IP_MULTICAST_LOOP, 0);
            Sockets.setOption(fd, SocketLayouts.SOL_SOCKET, SocketLayouts.SO_SNDBUF, SEND_BUFFER);
            if (plan.sourcePort() != 0) {
                Sockets.setOption(fd, SocketLayouts.SOL_SOCKET, SocketLayouts.SO_REUSEADDR, 1);
                try (Arena scratch = Arena.ofConfined()) {
                    MemorySegment address = scratch.allocate(SocketLayouts.SOCKADDR_IN);
                    SocketLayouts.writeSockaddrIn(address, 0, plan.sourcePort());
                    Sockets.bind(fd, address);
                }
            }
            return new TrafficGenerator(plan, fd);
        } catch (RuntimeException | Error e) {
            Sockets.close(fd);
            throw e;
        }
    }

    /** The plan this generator follows. */
    public TrafficPlan plan() {
        return plan;
    }

    /**
     * Sends the plan's traffic on the calling thread, then says what was sent. Returns early, with
     * what was sent so far, after {@link #requestStop()} or a send error that retrying cannot cure
     * ({@link TrafficReport#failure()}). Runs once per generator.
     */
    public TrafficReport run() {
        if (ran) {
            throw new IllegalStateException("a traffic generator runs once; open another");
        }
        ran = true;
        long start = System.nanoTime();
        long sent = 0;
        int firstGroup = 0;
        int failedErrno = 0;
        long end = start;
        long maxLateness = 0;
        long limit = plan.packetLimit();
        long duration = plan.durationNanos();
        long rate = plan.packetsPerSecond();
        while (sent < limit && !stopRequested) {
            long now = System.nanoTime();
            if (now - start >= duration) {
                break;
            }
            long due = Math.min(rate == PacketRate.FLAT_OUT ? limit : packetsDue(now - start, rate), limit) - sent;
            if (due <= 0) {
                Thread.onSpinWait();
                continue;
            }
            if (rate != PacketRate.FLAT_OUT) {
                maxLateness = Math.max(maxLateness, now - start - scheduledNanos(sent, rate));
            }
            int count = (int) Math.min(due, BATCH);
            writeSequences(firstGroup, count);
            int accepted = Syscalls.sendmmsg(state, fd, vectors[firstGroup], count, 0);
            end = System.nanoTime();
            if (accepted < 0) {
                int errno = state.errno();
                if (!countRetry(errno)) {
                    failedErrno = errno;
                    break;
                }
                continue;
            }
            firstGroup = useSequences(firstGroup, accepted);
            sent += accepted;
        }
        return report(sent, end - start, maxLateness, failedErrno);
    }

    /** Makes {@link #run} return after its current batch; callable from any thread, e.g. a shutdown hook. */
    public void requestStop() {
        stopRequested = true;
    }

    /** Closes the socket and frees the packet buffers. Call it after {@link #run} has returned. */
    @Override
    public void close() {
        Sockets.close(fd);
        arena.close();
    }

    /**
     * Numbers the {@code count} packets from slot {@code firstGroup} on with the next sequence
     * numbers of their groups. They are written afresh for every attempt and only those sendmmsg
     * took are used up ({@link #useSequences}), so a partial send or a retry never skips or repeats one.
     */
    private void writeSequences(int firstGroup, int count) {
        MemorySegment frames = batch.frames();
        for (int k = 0; k < count; k++) {
            int slot = firstGroup + k;
            // Slots of one group are groupCount apart: k / groupCount of them precede this one.
            long sequence = nextSequence[slot % groupCount] + k / groupCount;
            MoldHeader.writeSequence(frames, batch.frameOffset(slot), sequence);
        }
    }

    /** Uses up the sequence numbers of the {@code accepted} packets sent; returns the group whose turn is next. */
    private int useSequences(int firstGroup, int accepted) {
        for (int k = 0; k < accepted; k++) {
            nextSequence[(firstGroup + k) % groupCount]++;
        }
        return (firstGroup + accepted) % groupCount;
    }

    /** Packets due {@code elapsed} ns after the start: the one at 0 and one more every 1/rate s. */
    static long packetsDue(long elapsedNanos, long packetsPerSecond) {
        // Split so that neither product overflows for runs of centuries at a billion packets per second.
        long seconds = elapsedNanos / NANOS_PER_SECOND;
        long nanos = elapsedNanos % NANOS_PER_SECOND;
        return seconds * packetsPerSecond + nanos * packetsPerSecond / NANOS_PER_SECOND + 1;
    }

    /** When packet {@code k} (from 0) is due, in ns after the start; the inverse of {@link #packetsDue}. */
    static long scheduledNanos(long packet, long packetsPerSecond) {
        return packet / packetsPerSecond * NANOS_PER_SECOND
            + (packet % packetsPerSecond * NANOS_PER_SECOND + packetsPerSecond - 1) / packetsPerSecond;
    }

    private boolean countRetry(int errno) {
        switch (errno) {
            case Errno.ENOBUFS -> enobufs++;
            case Errno.EAGAIN -> eagain++;
            case Errno.EINTR -> eintr++;
            default -> {
                return false;
            }
        }
        return true;
    }

    private TrafficReport report(long sent, long durationNanos, long maxLatenessNanos, int failedErrno) {
        List<GroupReport> groups = new ArrayList<>(groupCount);
        for (int g = 0; g < groupCount; g++) {
            long packets = nextSequence[g] - FIRST_SEQUENCE;
            groups.add(new GroupReport(plan.groups().get(g), packets, FIRST_SEQUENCE, nextSequence[g] - 1));
        }
        Map<String, Long> retried = new LinkedHashMap<>();
        retried.put("ENOBUFS", enobufs);
        retried.put("EAGAIN", eagain);
        retried.put("EINTR", eintr);
        Optional<String> failure = failedErrno == 0
            ? Optional.empty()
            : Optional.of(LinuxException.of("sendmmsg(" + plan.interfaceName() + ")", failedErrno).getMessage());
        return new TrafficReport(sent, sent * plan.payloadSize(), durationNanos, maxLatenessNanos, List.copyOf(groups),
            Collections.unmodifiableMap(retried), failure);
    }

    /**
     * One packet's payload: the header with count 1 and one message block filling the rest, or
     * count 0 when a payload of 20 or 21 bytes leaves no room for a block. The message bytes are
     * a fixed pattern, so that a reader can check them.
     */
    private static void writePayload(MemorySegment frames, long offset, int payloadSize, byte[] session) {
        MoldHeader.writeSession(frames, offset, session);
        MoldHeader.writeSequence(frames, offset, 0);
        int block = MoldHeader.LENGTH + MoldHeader.MESSAGE_LENGTH_LENGTH;
        if (payloadSize < block) {
            MoldHeader.writeMessageCount(frames, offset, 0);
            for (int i = MoldHeader.LENGTH; i < payloadSize; i++) {
                frames.set(JAVA_BYTE, offset + i, (byte) 0);
            }
            return;
        }
        MoldHeader.writeMessageCount(frames, offset, 1);
        MoldHeader.writeMessageLength(frames, offset + MoldHeader.LENGTH, payloadSize - block);
        for (int i = block; i < payloadSize; i++) {
            frames.set(JAVA_BYTE, offset + i, (byte) i);
        }
    }
}
