package io.ringcap.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.ringcap.linux.SocketLayouts.*;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.assertj.core.api.Assertions.assertThat;

/** Round trips on 127.0.0.1 only: nothing leaves the machine. */
class MessageBatchTest {
    private static final int LOOPBACK = ipv4("127.0.0.1");

    private final Arena arena = Arena.ofConfined();
    private final CallState state = CallState.allocate(arena);
    private int receiver = -1;
    private int sender = -1;
    private int port;

    @BeforeEach
    void openSockets() {
        receiver = Sockets.open(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        MemorySegment address = arena.allocate(SOCKADDR_IN);
        writeSockaddrIn(address, LOOPBACK, 0);
        Sockets.bind(receiver, address);
        port = Sockets.localPort(receiver);
        sender = Sockets.open(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        Sockets.bind(sender, address);
    }

    @AfterEach
    void closeSockets() {
        Sockets.close(receiver);
        Sockets.close(sender);
        arena.close();
    }

    @Test
    void recvmmsgReceivesSeveralDatagramsWithKernelTimestamps() {
        Sockets.setOption(receiver, SOL_SOCKET, SO_TIMESTAMPNS, 1);
        MessageBatch batch = MessageBatch.allocate(arena, 8, 2048, (int) MessageLayouts.cmsgSpace(16));
        long before = Clocks.realtimeNanos();
        send("first");
        send("second");
        send("third");
        awaitReadable();

        int received = batch.receive(state, receiver, MSG_DONTWAIT);
        long after = Clocks.realtimeNanos();

        assertThat(received).isEqualTo(3);
        assertThat(text(batch, 0)).isEqualTo("first");
        assertThat(text(batch, 1)).isEqualTo("second");
        assertThat(text(batch, 2)).isEqualTo("third");
        for (int i = 0; i < received; i++) {
            assertThat(batch.sourceAddress(i)).isEqualTo(LOOPBACK);
            assertThat(batch.sourcePort(i)).isEqualTo(Sockets.localPort(sender));
            assertThat(batch.kernelTimestampNanos(i)).isBetween(before, after);
            assertThat(batch.hardwareTimestampNanos(i)).isEqualTo(-1);
            assertThat(batch.truncated(i)).isFalse();
        }
    }

    @Test
    void softwareTimestampArrivesInScmTimestamping() {
        Sockets.setOption(receiver, SOL_SOCKET, SO_TIMESTAMPING,
            TimestampingLayouts.SOF_TIMESTAMPING_RX_SOFTWARE | TimestampingLayouts.SOF_TIMESTAMPING_SOFTWARE);
        MessageBatch batch = MessageBatch.allocate(
            arena, 4, 2048, (int) MessageLayouts.cmsgSpace(TimestampingLayouts.SCM_TIMESTAMPING.byteSize()));
        // The kernel switches receive timestamps on for the first socket that asks through a deferred work
        // item, so the first datagram or two after the setsockopt may still come unstamped.
        long stamp = -1;
        long before = 0;
        long after = 0;
        for (int attempt = 0; attempt < 20 && stamp < 0; attempt++) {
            before = Clocks.realtimeNanos();
            send("stamped");
            awaitReadable();
            assertThat(batch.receive(state, receiver, MSG_DONTWAIT)).isEqualTo(1);
            after = Clocks.realtimeNanos();
            stamp = batch.kernelTimestampNanos(0);
            assertThat(batch.hardwareTimestampNanos(0)).isEqualTo(-1);
            if (stamp < 0) {
                LockSupport.parkNanos(10_000_000);
            }
        }
        assertThat(stamp).as("a software receive timestamp within 20 datagrams").isBetween(before, after);
    }

    @Test
    void emptySocketGivesEagainWithoutThrowing() {
        MessageBatch batch = MessageBatch.allocate(arena, 4, 2048, 0);
        assertThat(batch.receive(state, receiver, MSG_DONTWAIT)).isEqualTo(-1);
        assertThat(state.errno()).isEqualTo(Errno.EAGAIN);
    }

    @Test
    void datagramLongerThanTheFrameIsFlaggedTruncated() {
        MessageBatch batch = MessageBatch.allocate(arena, 2, 8, 0);
        send("twenty bytes of data");
        awaitReadable();

        assertThat(batch.receive(state, receiver, MSG_DONTWAIT | MSG_TRUNC)).isEqualTo(1);
        assertThat(batch.truncated(0)).isTrue();
        assertThat(batch.length(0)).isEqualTo(20);
        assertThat(batch.frame(0).byteSize()).isEqualTo(8);
    }

    @Test
    void sendmmsgSendsABatchThatRecvmmsgReceives() {
        MessageBatch out = MessageBatch.allocate(arena, 2, 64, 0);
        for (int i = 0; i < 2; i++) {
            byte[] payload = ("batch " + i).getBytes(StandardCharsets.US_ASCII);
            MemorySegment.copy(payload, 0, out.frames(), JAVA_BYTE, out.frameOffset(i), payload.length);
            out.prepareToSend(i, payload.length, LOOPBACK, port);
        }
        assertThat(Syscalls.sendmmsg(state, sender, out.messages(), 2, 0)).isEqualTo(2);
        assertThat(out.length(1)).isEqualTo(7);

        MessageBatch in = MessageBatch.allocate(arena, 4, 64, 0);
        List<String> received = new ArrayList<>();
        while (received.size() < 2) {
            awaitReadable(); // the second datagram may still be in the loopback softirq
            int count = in.receive(state, receiver, MSG_DONTWAIT);
            for (int i = 0; i < count; i++) {
                received.add(text(in, i));
            }
        }
        assertThat(received).containsExactly("batch 0", "batch 1");
    }

    @Test
    void joiningAGroupOnLoopbackSucceeds() {
        Sockets.joinMulticastGroup(receiver, ipv4("239.255.77.1"), NetworkInterfaces.indexOf("lo"));
    }

    private void send(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        MemorySegment buffer = arena.allocate(bytes.length);
        MemorySegment.copy(bytes, 0, buffer, JAVA_BYTE, 0, bytes.length);
        MemorySegment to = arena.allocate(SOCKADDR_IN);
        writeSockaddrIn(to, LOOPBACK, port);
        assertThat(Syscalls.sendto(state, sender, buffer, bytes.length, 0, to)).isEqualTo(bytes.length);
    }

    private void awaitReadable() {
        MemorySegment pollfd = arena.allocate(POLLFD);
        pollfd.set(JAVA_INT, POLLFD_FD_OFFSET, receiver);
        pollfd.set(JAVA_SHORT, POLLFD_EVENTS_OFFSET, POLLIN);
        assertThat(state.check(Syscalls.poll(state, pollfd, 1, 5_000), "poll")).isEqualTo(1);
    }

    private static String text(MessageBatch batch, int i) {
        return new String(batch.frame(i).toArray(JAVA_BYTE), StandardCharsets.US_ASCII);
    }
}
