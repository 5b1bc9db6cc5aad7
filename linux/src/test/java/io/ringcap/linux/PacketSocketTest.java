package io.ringcap.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.ringcap.linux.PacketSocketLayouts.*;
import static io.ringcap.linux.SocketLayouts.*;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A TPACKET_V3 ring on the loopback interface: the kernel reading our layouts is the test. */
class PacketSocketTest {
    private static final int BLOCK_SIZE = 1 << 16;
    private static final int BLOCK_COUNT = 4;
    private static final int FRAME_SIZE = 2048;
    private static final int LOOPBACK = ipv4("127.0.0.1");

    @BeforeEach
    void needsCapNetRaw() {
        assumeTrue(Capabilities.ofCurrentThread().hasEffective(CapabilityLayouts.CAP_NET_RAW),
            "needs root: AF_PACKET sockets need CAP_NET_RAW");
    }

    @Test
    void ringOnLoopbackDeliversADatagramWithItsTimestamp() {
        int fd = Sockets.open(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, networkOrder(ETH_P_ALL));
        int receiver = Sockets.open(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        MemorySegment ring = null;
        try (Arena arena = Arena.ofConfined()) {
            Sockets.setOption(fd, SOL_PACKET, PACKET_VERSION, TPACKET_V3);
            MemorySegment request = arena.allocate(TPACKET_REQ3);
            request.set(JAVA_INT, TP_BLOCK_SIZE_OFFSET, BLOCK_SIZE);
            request.set(JAVA_INT, TP_BLOCK_NR_OFFSET, BLOCK_COUNT);
            request.set(JAVA_INT, TP_FRAME_SIZE_OFFSET, FRAME_SIZE);
            request.set(JAVA_INT, TP_FRAME_NR_OFFSET, BLOCK_SIZE / FRAME_SIZE * BLOCK_COUNT);
            request.set(JAVA_INT, TP_RETIRE_BLK_TOV_OFFSET, 10);
            Sockets.setOption(fd, SOL_PACKET, PACKET_RX_RING, request);
            ring = VirtualMemory.map((long) BLOCK_SIZE * BLOCK_COUNT,
                VirtualMemory.PROT_READ | VirtualMemory.PROT_WRITE, VirtualMemory.MAP_SHARED, fd, 0);
            MemorySegment sockaddr = arena.allocate(SOCKADDR_LL);
            writeSockaddrLl(sockaddr, ETH_P_ALL, NetworkInterfaces.indexOf("lo"));
            Sockets.bind(fd, sockaddr);

            MemorySegment address = arena.allocate(SOCKADDR_IN);
            writeSockaddrIn(address, LOOPBACK, 0);
            Sockets.bind(receiver, address);
            writeSockaddrIn(address, LOOPBACK, Sockets.localPort(receiver));
            byte[] payload = ("ringcap-" + System.nanoTime()).getBytes(StandardCharsets.US_ASCII);
            MemorySegment buffer = arena.allocateFrom(JAVA_BYTE, payload);
            long before = Clocks.realtimeNanos();
            CallState state = CallState.allocate(arena);
            assertThat(Syscalls.sendto(state, receiver, buffer, payload.length, 0, address)).isEqualTo(payload.length);

            long stamp = awaitPayload(ring, fd, payload, arena);

            assertThat(stamp).isBetween(before, Clocks.realtimeNanos());
            MemorySegment statistics = arena.allocate(TPACKET_STATS_V3);
            assertThat(Sockets.getOption(fd, SOL_PACKET, PACKET_STATISTICS, statistics)).isEqualTo(12);
            assertThat(statistics.get(JAVA_INT, STATS_PACKETS_OFFSET)).isPositive();
        } finally {
            if (ring != null) {
                VirtualMemory.unmap(ring);
            }
            Sockets.close(receiver);
            Sockets.close(fd);
        }
    }

    @Test
    void fanoutGroupAcceptsAHashMember() {
        int fd = Sockets.open(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, networkOrder(ETH_P_ALL));
        try {
            Sockets.setOption(fd, SOL_PACKET, PACKET_VERSION, TPACKET_V3);
            assertThat(Sockets.intOption(fd, SOL_PACKET, PACKET_VERSION)).isEqualTo(TPACKET_V3);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment sockaddr = arena.allocate(SOCKADDR_LL);
                writeSockaddrLl(sockaddr, ETH_P_ALL, NetworkInterfaces.indexOf("lo"));
                Sockets.bind(fd, sockaddr);
            }
            int group = (int) (ProcessHandle.current().pid() & 0xffff);
            Sockets.setOption(fd, SOL_PACKET, PACKET_FANOUT, group | PACKET_FANOUT_HASH << 16);
        } finally {
            Sockets.close(fd);
        }
    }

    /** Walks retired blocks until the payload shows up; returns its timestamp in nanoseconds. */
    private static long awaitPayload(MemorySegment ring, int fd, byte[] payload, Arena arena) {
        CallState state = CallState.allocate(arena);
        MemorySegment pollfd = arena.allocate(POLLFD);
        pollfd.set(JAVA_INT, POLLFD_FD_OFFSET, fd);
        pollfd.set(JAVA_SHORT, POLLFD_EVENTS_OFFSET, POLLIN);
        long deadline = System.nanoTime() + 5_000_000_000L;
        int block = 0;
        while (System.nanoTime() < deadline) {
            long blockOffset = (long) block * BLOCK_SIZE;
            if ((blockStatusAcquire(ring, blockOffset) & TP_STATUS_USER) == 0) {
                state.check(Syscalls.poll(state, pollfd, 1, 100), "poll");
                continue;
            }
            assertThat(ring.get(JAVA_INT, blockOffset + BLOCK_VERSION_OFFSET)).isEqualTo(TPACKET_V3);
            long packet = blockOffset + ring.get(JAVA_INT, blockOffset + BLOCK_OFFSET_TO_FIRST_PKT_OFFSET);
            int packets = ring.get(JAVA_INT, blockOffset + BLOCK_NUM_PKTS_OFFSET);
            for (int i = 0; i < packets; i++) {
                long frame = packet + Short.toUnsignedInt(ring.get(JAVA_SHORT, packet + TP_MAC_OFFSET));
                int length = ring.get(JAVA_INT, packet + TP_SNAPLEN_OFFSET);
                if (contains(ring.asSlice(frame, length), payload)) {
                    return ring.get(JAVA_INT, packet + TP_SEC_OFFSET) * 1_000_000_000L
                        + ring.get(JAVA_INT, packet + TP_NSEC_OFFSET);
                }
                packet += ring.get(JAVA_INT, packet + TP_NEXT_OFFSET_OFFSET);
            }
            releaseBlock(ring, blockOffset);
            block = (block + 1) % BLOCK_COUNT;
        }
        throw new AssertionError("the datagram never appeared in the packet ring");
    }

    private static boolean contains(MemorySegment frame, byte[] payload) {
        byte[] bytes = frame.toArray(JAVA_BYTE);
        outer:
        for (int start = 0; start + payload.length <= bytes.length; start++) {
            for (int i = 0; i < payload.length; i++) {
                if (bytes[start + i] != payload[i]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static int networkOrder(int protocol) {
        return Short.toUnsignedInt(Short.reverseBytes((short) protocol));
    }
}
