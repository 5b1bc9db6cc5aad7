package io.ringcap.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;

import static io.ringcap.linux.SocketLayouts.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.assertj.core.api.Assertions.assertThat;

/** The calls documented as hot-path-safe allocate nothing once compiled, on success and on EAGAIN. */
class HotPathAllocationTest {
    private static final int WARM_UP = 200_000;
    private static final int MEASURED = 20_000;

    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void receiveLoopCallsAllocateNothing() {
        try (Arena arena = Arena.ofConfined()) {
            CallState state = CallState.allocate(arena);
            int fd = Sockets.open(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            try {
                MemorySegment address = arena.allocate(SOCKADDR_IN);
                writeSockaddrIn(address, ipv4("127.0.0.1"), 0);
                Sockets.bind(fd, address);
                writeSockaddrIn(address, ipv4("127.0.0.1"), Sockets.localPort(fd));
                MessageBatch batch = MessageBatch.allocate(arena, 16, 2048, 64);
                MemorySegment pollfd = arena.allocate(POLLFD);
                pollfd.set(JAVA_INT, POLLFD_FD_OFFSET, fd);
                pollfd.set(JAVA_SHORT, POLLFD_EVENTS_OFFSET, POLLIN);
                MemorySegment payload = arena.allocate(32);

                loop(WARM_UP, state, fd, batch, pollfd, payload, address);
                // A round may still overlap a JIT compilation on a busy machine: the best of a few counts.
                long allocated = Long.MAX_VALUE;
                for (int round = 0; round < 5 && allocated > 0; round++) {
                    long before = THREADS.getCurrentThreadAllocatedBytes();
                    long sink = loop(MEASURED, state, fd, batch, pollfd, payload, address);
                    allocated = Math.min(allocated, THREADS.getCurrentThreadAllocatedBytes() - before);
                    assertThat(sink).isNotZero();
                }

                assertThat(allocated).as("bytes allocated by %d loop iterations", MEASURED).isZero();
            } finally {
                Sockets.close(fd);
            }
        }
    }

    private static long loop(int iterations, CallState state, int fd, MessageBatch batch,
                             MemorySegment pollfd, MemorySegment payload, MemorySegment address) {
        long sink = 0;
        for (int i = 0; i < iterations; i++) {
            sink += Syscalls.sendto(state, fd, payload, payload.byteSize(), MSG_DONTWAIT, address);
            sink += Syscalls.poll(state, pollfd, 1, 0);
            int received = batch.receive(state, fd, MSG_DONTWAIT);
            for (int m = 0; m < received; m++) {
                sink += batch.length(m) + batch.kernelTimestampNanos(m);
            }
            sink += batch.receive(state, fd, MSG_DONTWAIT) < 0 ? state.errno() : 0;
            sink += Clocks.realtimeNanos() + Clocks.monotonicNanos();
        }
        return sink;
    }
}
