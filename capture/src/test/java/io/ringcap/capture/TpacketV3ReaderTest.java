package io.ringcap.capture;

import io.ringcap.ring.RecordDescriptor;
import io.ringcap.ring.RingFile;
import io.ringcap.ring.RingWriter;
import io.ringcap.ring.TimestampSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;

import static io.ringcap.linux.PacketSocketLayouts.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The afpacket receive loop ({@link TpacketV3Reader}) over a ring in plain memory, with {@link InMemoryTpacketRing}
 * as the kernel.
 */
class TpacketV3ReaderTest {
    /** 4 blocks of 4 KiB: a 200-byte frame takes 288 bytes, so 14 packets fill a block. */
    private static final PacketRingGeometry GEOMETRY = new PacketRingGeometry(4096, 4, 2048, 1);
    private static final int PACKETS_PER_BLOCK = (4096 - InMemoryTpacketRing.FIRST_PACKET_OFFSET) / 288;
    private static final int SOURCE_ID = 3;

    @TempDir
    Path directory;
    private Path ringPath;
    private final Arena arena = Arena.ofConfined();
    private InMemoryTpacketRing kernel;
    private TpacketV3Reader reader;
    private RingWriter writer;

    @BeforeEach
    void setUp() {
        ringPath = directory.resolve("test.ring");
        RingFile.create(ringPath, 1 << 20, false).close();
        writer = RingWriter.open(ringPath, TimestampSource.KERNEL, "test");
        kernel = new InMemoryTpacketRing(GEOMETRY);
        reader = kernel.reader(SOURCE_ID);
    }

    @AfterEach
    void tearDown() {
        kernel.close();
        writer.close();
        arena.close();
    }

    @Test
    void packetsOfManyLapsOfTheBlocksReachTheRingIntactInOrder() {
        int rounds = 10;
        int perRound = 3 * PACKETS_PER_BLOCK;
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < perRound; i++) {
                int n = round * perRound + i;
                assertThat(kernel.receive(1, frame(200, n), 200, 200, 1_700_000_000_123_456_789L + n, 0, 0, 0))
                    .isEqualTo(1);
            }
            kernel.retire();
            assertThat(reader.poll(writer, Integer.MAX_VALUE)).isEqualTo(perRound);
        }
        writer.publish();

        List<ReceivedFrame> records = ReceivedFrame.readAll(ringPath);
        assertThat(records).hasSize(rounds * perRound);
        for (int n = 0; n < records.size(); n++) {
            ReceivedFrame record = records.get(n);
            assertThat(record.bytes()).as("packet %d", n).isEqualTo(bytes(200, n));
            assertThat(record.timestamp()).isEqualTo(1_700_000_000_123_456_789L + n);
            assertThat(record.originalLength()).isEqualTo(200);
            assertThat(record.sourceId()).isEqualTo(SOURCE_ID);
            assertThat(record.flags()).isZero();
        }
        assertThat(kernel.dropped()).as("every block handed back in time").isZero();
    }

    @Test
    void aVlanTagTheKernelTookOutIsPutBackAsOnTheWire() {
        kernel.receive(1, frame(100, 1), 100, 100, 1L, TP_STATUS_VLAN_VALID, 0x2064, 0);
        kernel.receive(1, frame(100, 2), 100, 100, 2L, TP_STATUS_VLAN_VALID | TP_STATUS_VLAN_TPID_VALID, 0x0005,
            GroupFilter.ETHERTYPE_QINQ);
        kernel.retire();
        reader.poll(writer, 16);
        writer.publish();

        List<ReceivedFrame> records = ReceivedFrame.readAll(ringPath);
        assertThat(records).hasSize(2);
        assertThat(records.get(0).bytes()).isEqualTo(tagged(bytes(100, 1), 0x81, 0x00, 0x20, 0x64));
        assertThat(records.get(0).originalLength()).isEqualTo(104);
        assertThat(records.get(1).bytes()).as("the TPID the kernel reported").isEqualTo(
            tagged(bytes(100, 2), 0x88, 0xA8, 0x00, 0x05));
    }

    @Test
    void aPacketCutShortIsFlaggedTruncatedAndKeepsItsWireLength() {
        kernel.receive(1, frame(64, 9), 64, 1500, 1L, 0, 0, 0);
        kernel.retire();
        reader.poll(writer, 16);
        writer.publish();

        ReceivedFrame record = ReceivedFrame.readAll(ringPath).getFirst();
        assertThat(record.bytes()).isEqualTo(bytes(64, 9));
        assertThat(record.originalLength()).isEqualTo(1500);
        assertThat(record.flags() & RecordDescriptor.FLAG_TRUNCATED).isNotZero();
    }

    @Test
    void aNicTimestampIsFlagged() {
        kernel.receive(1, frame(64, 0), 64, 64, 42L, TP_STATUS_TS_RAW_HARDWARE, 0, 0);
        kernel.retire();
        reader.poll(writer, 16);
        writer.publish();

        ReceivedFrame record = ReceivedFrame.readAll(ringPath).getFirst();
        assertThat(record.timestamp()).isEqualTo(42L);
        assertThat(record.flags() & RecordDescriptor.FLAG_HARDWARE_TIMESTAMP).isNotZero();
    }

    @Test
    void aPollStopsAtItsLimitInsideABlockAndTheNextGoesOnFromThere() {
        for (int n = 0; n < 10; n++) {
            kernel.receive(1, frame(200, n), 200, 200, n, 0, 0, 0);
        }
        kernel.retire();

        assertThat(reader.poll(writer, 4)).isEqualTo(4);
        assertThat(reader.poll(writer, 100)).isEqualTo(6);
        assertThat(reader.poll(writer, 100)).as("nothing more").isZero();
        writer.publish();
        List<ReceivedFrame> records = ReceivedFrame.readAll(ringPath);
        assertThat(records).extracting(ReceivedFrame::timestamp).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(records.get(4).bytes()).isEqualTo(bytes(200, 4));
    }

    @Test
    void emptyRetiredBlocksAreHandedBackAndSkipped() {
        kernel.retire();
        kernel.retire();
        kernel.receive(1, frame(60, 5), 60, 60, 1L, 0, 0, 0);
        kernel.retire();

        assertThat(reader.poll(writer, 16)).isEqualTo(1);
        writer.publish();
        assertThat(ReceivedFrame.readAll(ringPath).getFirst().bytes()).isEqualTo(bytes(60, 5));
        // All four blocks are the kernel's again: a full lap of them goes through without a drop.
        assertThat(kernel.receive(4 * PACKETS_PER_BLOCK, frame(200, 0), 200, 200, 1L, 0, 0, 0))
            .isEqualTo(4 * PACKETS_PER_BLOCK);
    }

    @Test
    void whileTheReaderHoldsEveryBlockTheKernelDropsAndTheReaderGoesOnAfterward() {
        int fit = 4 * PACKETS_PER_BLOCK;
        assertThat(kernel.receive(fit + 5, frame(200, 0), 200, 200, 1L, 0, 0, 0)).isEqualTo(fit);
        assertThat(kernel.dropped()).isEqualTo(5);

        // As the kernel: the full last block is handed over, then the next (the reader's) found taken.
        assertThat(reader.poll(writer, Integer.MAX_VALUE)).isEqualTo(fit);
        assertThat(kernel.receive(1, frame(200, 1), 200, 200, 2L, 0, 0, 0)).isEqualTo(1);
        kernel.retire();
        assertThat(reader.poll(writer, Integer.MAX_VALUE)).isEqualTo(1);
        writer.publish();
        assertThat(ReceivedFrame.readAll(ringPath).getLast().bytes()).isEqualTo(bytes(200, 1));
    }

    @Test
    void aRingOfAnotherSizeThanItsGeometryIsRefused() {
        MemorySegment small = arena.allocate(4096);
        assertThatThrownBy(() -> new TpacketV3Reader(small, GEOMETRY, 1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4096 bytes");
    }

    private MemorySegment frame(int length, int seed) {
        return arena.allocate(length).copyFrom(MemorySegment.ofArray(bytes(length, seed)));
    }

    private static byte[] bytes(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (seed * 31 + i * 7);
        }
        return bytes;
    }

    private static byte[] tagged(byte[] untagged, int... tag) {
        byte[] bytes = new byte[untagged.length + 4];
        System.arraycopy(untagged, 0, bytes, 0, 12);
        for (int i = 0; i < 4; i++) {
            bytes[12 + i] = (byte) tag[i];
        }
        System.arraycopy(untagged, 12, bytes, 16, untagged.length - 12);
        return bytes;
    }
}
