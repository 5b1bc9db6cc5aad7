package io.ringcap.cli;

import io.ringcap.ring.ReaderStatusWriter;
import io.ringcap.ring.RingReader;
import io.ringcap.ring.RingWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

class TopCommandTest {
    @TempDir
    Path directory;

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void showsRatesFlowsFillWindowWriterAndLappedReaders() throws Exception {
        Path ring = TestRings.create(directory);
        MemorySegment plain = udpFrame(false, 5, 0xEF010101, 5000, 100);
        MemorySegment tagged = udpFrame(true, 6, 0xEF010102, 6000, 200);
        AtomicBoolean stop = new AtomicBoolean();
        try (RingWriter writer = TestRings.openWriter(ring);
             RingReader slow = RingReader.open(ring, RingReader.Start.OLDEST);
             ReaderStatusWriter slowStatus = ReaderStatusWriter.open(ring, slow.header(), "slow", false)) {
            Thread writing = Thread.ofPlatform().start(() -> {
                long drops = 0;
                while (!stop.get()) {
                    for (int i = 0; i < 3; i++) {
                        writer.write(plain, 0, (int) plain.byteSize(), (int) plain.byteSize(), 0, 0, 0);
                    }
                    writer.write(tagged, 0, (int) tagged.byteSize(), (int) tagged.byteSize(), 0, 0, 0);
                    writer.publish();
                    writer.sourceCounters(0, ++drops);
                    writer.heartbeat(System.currentTimeMillis() * 1_000_000L);
                    LockSupport.parkNanos(100_000L);
                }
            });
            Thread.sleep(200);
            slow.poll(record -> { }, Integer.MAX_VALUE);
            slowStatus.update(slow);

            CommandResult result = CommandResult.execute("top", ring.toString(), "--count", "2", "--interval", "300ms");
            stop.set(true);
            writing.join();

            System.out.println(result.out());
            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.out().lines().filter(l -> l.startsWith("ringcap top "))).hasSize(2);
            assertThat(result.out())
                .contains("ring " + ring + "  source udp 239.1.1.1:5000 test  writer alive, heartbeat ")
                .containsPattern("rate +[0-9,]+ pkt/s  [0-9.]+ Mbit/s  drops [0-9,]+/s \\(total [0-9,]+\\)")
                .contains("fill   100.0% of 64 KiB  window ")
                .containsPattern("flow   239\\.1\\.1\\.1:5000 +[0-9,]+ pkt/s")
                .containsPattern("flow   239\\.1\\.1\\.2:6000 +[0-9,]+ pkt/s")
                // The writer may lap the slow reader again while it polls: one lap or more.
                .containsPattern("reader slow pid [0-9]+ alive LAPPED: delivered [0-9]+, lost [1-9][0-9]* in [1-9][0-9]* laps");
            String firstFlow = result.out().lines().filter(l -> l.startsWith("  flow")).findFirst().orElseThrow();
            assertThat(firstFlow).as("busiest first").contains("239.1.1.1:5000");
        }
    }

    @Test
    void badInputIsRefusedClearly() {
        Path ring = TestRings.create(directory);

        CommandResult missing = CommandResult.execute("top", directory.resolve("none.ring").toString(), "--count", "1");
        CommandResult count = CommandResult.execute("top", ring.toString(), "--count", "0");
        CommandResult interval = CommandResult.execute("top", ring.toString(), "--interval", "10ms");
        CommandResult noRing = CommandResult.execute("top");

        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).startsWith("ringcap: no ring at ");
        assertThat(count.exitCode()).isEqualTo(2);
        assertThat(count.err()).startsWith("ringcap: --count 0 must be 1 or more");
        assertThat(interval.exitCode()).isEqualTo(2);
        assertThat(interval.err()).startsWith("ringcap: --interval: '10ms' is below 100ms");
        assertThat(noRing.exitCode()).isEqualTo(2);
    }

    @Test
    void anIdleRingSaysItHasNoTraffic() {
        Path ring = TestRings.closedRingWith(directory, 3);

        CommandResult result = CommandResult.execute("top", ring.toString(), "--count", "1", "--interval", "100ms");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("writer closed").contains("rate   0 pkt/s  0.000 Mbit/s  drops 0/s (total 0)")
            .contains("window (no traffic");
    }

    /** Ethernet (optionally one 802.1Q tag), IPv4 with {@code ihl} words of header, UDP, zero payload. */
    private static MemorySegment udpFrame(boolean vlan, int ihl, int group, int port, int payload) {
        ByteBuffer frame = ByteBuffer.allocate(14 + (vlan ? 4 : 0) + ihl * 4 + 8 + payload);
        frame.put(new byte[] {1, 0, 0x5e, 1, 1, 1, 2, 0, 0, 0, 0, 1});
        if (vlan) {
            frame.putShort((short) 0x8100).putShort((short) 42);
        }
        frame.putShort((short) 0x0800);
        frame.put((byte) (0x40 | ihl)).put((byte) 0).putShort((short) (ihl * 4 + 8 + payload)).putInt(0)
            .put((byte) 1).put((byte) 17).putShort((short) 0).putInt(0x0A000001).putInt(group);
        frame.put(new byte[(ihl - 5) * 4]);
        frame.putShort((short) 4000).putShort((short) port).putShort((short) (8 + payload)).putShort((short) 0);
        MemorySegment segment = Arena.ofAuto().allocate(frame.capacity());
        segment.copyFrom(MemorySegment.ofArray(frame.array()));
        return segment;
    }
}
