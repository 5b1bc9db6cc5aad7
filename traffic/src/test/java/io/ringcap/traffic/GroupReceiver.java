package io.ringcap.traffic;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.BitSet;

import io.ringcap.linux.CallState;
import io.ringcap.linux.Errno;
import io.ringcap.linux.MessageBatch;
import io.ringcap.linux.SocketLayouts;
import io.ringcap.linux.Sockets;
import io.ringcap.linux.Syscalls;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A UDP socket joined to one multicast group, receiving with recvmmsg and keeping every MoldUDP64
 * sequence number it saw. Open it on a thread inside the receiver's namespace.
 */
final class GroupReceiver implements AutoCloseable {
    private static final int BATCH = 64;
    private static final int RECEIVE_BUFFER = 64 << 20;
    private static final int POLL_MILLIS = 20;

    private final Arena arena = Arena.ofShared();
    private final CallState state = CallState.allocate(arena);
    private final MessageBatch batch = MessageBatch.allocate(arena, BATCH, 2048, 0);
    private final MemorySegment pollfd = arena.allocate(SocketLayouts.POLLFD);
    private final int fd;
    private final BitSet sequences = new BitSet();
    private long packets;
    private long bytes;
    private long firstNanos;
    private long lastNanos;

    GroupReceiver(int group, int port, int interfaceIndex) {
        fd = Sockets.open(SocketLayouts.AF_INET,
            SocketLayouts.SOCK_DGRAM | SocketLayouts.SOCK_NONBLOCK | SocketLayouts.SOCK_CLOEXEC, 0);
        Sockets.setOption(fd, SocketLayouts.SOL_SOCKET, SocketLayouts.SO_REUSEADDR, 1);
        Sockets.setOption(fd, SocketLayouts.SOL_SOCKET, SocketLayouts.SO_RCVBUFFORCE, RECEIVE_BUFFER);
        MemorySegment address = arena.allocate(SocketLayouts.SOCKADDR_IN);
        // Bound to the group, not INADDR_ANY, so that only this group's datagrams arrive.
        SocketLayouts.writeSockaddrIn(address, group, port);
        Sockets.bind(fd, address);
        Sockets.joinMulticastGroup(fd, group, interfaceIndex);
        pollfd.set(JAVA_INT, SocketLayouts.POLLFD_FD_OFFSET, fd);
        pollfd.set(JAVA_SHORT, SocketLayouts.POLLFD_EVENTS_OFFSET, SocketLayouts.POLLIN);
    }

    /** Receives until {@code expected} packets came or nothing came for {@code quietMillis}. */
    void receive(long expected, long quietMillis) {
        long quietNanos = quietMillis * 1_000_000L;
        long lastArrival = System.nanoTime();
        while (packets < expected) {
            int received = batch.receive(state, fd, 0);
            long now = System.nanoTime();
            if (received < 0) {
                if (state.errno() != Errno.EAGAIN) {
                    state.check(received, "recvmmsg");
                }
                if (now - lastArrival > quietNanos) {
                    return;
                }
                // Sleeps in poll rather than spins: the sender shares two cores with us and the kernel.
                state.check(Syscalls.poll(state, pollfd, 1, POLL_MILLIS), "poll");
                continue;
            }
            if (packets == 0) {
                firstNanos = now;
            }
            lastNanos = now;
            lastArrival = now;
            for (int i = 0; i < received; i++) {
                long frame = batch.frameOffset(i);
                sequences.set((int) MoldHeader.sequence(batch.frames(), frame));
                bytes += batch.length(i);
            }
            packets += received;
        }
    }

    long packets() {
        return packets;
    }

    long bytes() {
        return bytes;
    }

    BitSet sequences() {
        return sequences;
    }

    /** Nanoseconds between the first and the last batch received. */
    long spanNanos() {
        return lastNanos - firstNanos;
    }

    @Override
    public void close() {
        Sockets.close(fd);
        arena.close();
    }
}
