package io.ringcap.capture;

import io.ringcap.linux.Clocks;
import io.ringcap.ring.RecordDescriptor;
import io.ringcap.ring.RingFile;
import io.ringcap.ring.RingWriter;
import io.ringcap.ring.TimestampSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The afxdp receive loop ({@link XskSocket#poll}) over rings in plain memory, with {@link InMemoryXskRings} as the kernel. */
class XskSocketInMemoryTest {
    private static final int FRAMES = 64;
    private static final int FRAME_SIZE = 2048;
    private static final int SOURCE_ID = 7;

    @TempDir
    Path directory;
    private Path ringPath;
    private InMemoryXskRings rings;
    private XskSocket socket;
    private RingWriter writer;

    @BeforeEach
    void setUp() {
        ringPath = directory.resolve("test.ring");
        RingFile.create(ringPath, 1 << 20, false).close();
        writer = RingWriter.open(ringPath, TimestampSource.XDP_TAI, "test");
        rings = new InMemoryXskRings(FRAMES, FRAME_SIZE, false);
        socket = rings.socket(SOURCE_ID);
    }

    @AfterEach
    void tearDown() {
        socket.close();
        rings.close();
        writer.close();
    }

    @Test
    void everyFrameReachesTheRingIntactAndItsUmemFrameGoesBackToTheFillRing() {
        for (int frame = 0; frame < FRAMES; frame++) {
            MemorySegment bytes = rings.umem().asSlice((long) frame * FRAME_SIZE + InMemoryXskRings.HEADROOM, 200);
            for (int i = 0; i < bytes.byteSize(); i++) {
                bytes.set(JAVA_BYTE, i, (byte) (frame * 31 + i));
            }
        }
        assertThat(rings.receive(40, 200, 1_000_000_000L, XdpMetadata.FLAG_TAI, true)).isEqualTo(40);
        assertThat(rings.fillAvailable()).isEqualTo(FRAMES - 40);

        assertThat(socket.poll(writer, 256, 37_000_000_000L)).isEqualTo(40);
        writer.publish();

        List<ReceivedFrame> records = ReceivedFrame.readAll(ringPath);
        assertThat(records).hasSize(40);
        for (int frame = 0; frame < 40; frame++) {
            ReceivedFrame record = records.get(frame);
            assertThat(record.sourceId()).isEqualTo(SOURCE_ID);
            assertThat(record.bytes()).hasSize(200);
            for (int i = 0; i < 200; i++) {
                assertThat(record.bytes()[i]).as("frame %d byte %d", frame, i).isEqualTo((byte) (frame * 31 + i));
            }
            assertThat(record.timestamp()).as("TAI less the TAI offset").isEqualTo(1_000_000_000L - 37_000_000_000L);
            assertThat(record.flags() & RecordDescriptor.FLAG_HARDWARE_TIMESTAMP).isZero();
        }
        assertThat(rings.fillAvailable()).as("every frame handed back").isEqualTo(FRAMES);
        assertThat(socket.poll(writer, 256, 0)).as("nothing more").isZero();
    }

    @Test
    void aNicTimestampIsKeptAsItIsAndFlagged() {
        rings.receive(1, 60, 123_456_789L, XdpMetadata.FLAG_HARDWARE, true);
        socket.poll(writer, 256, 37_000_000_000L);
        writer.publish();

        ReceivedFrame record = ReceivedFrame.readAll(ringPath).getFirst();
        assertThat(record.timestamp()).isEqualTo(123_456_789L);
        assertThat(record.flags() & RecordDescriptor.FLAG_HARDWARE_TIMESTAMP).isNotZero();
    }

    @Test
    void aFrameWithoutTheProgramsMetadataIsStampedWhenRead() {
        // A frame received with metadata, recycled, then received again without: its old magic must not count.
        rings.receive(FRAMES, 60, 5L, XdpMetadata.FLAG_TAI, true);
        socket.poll(writer, 256, 0);
        long before = Clocks.realtimeNanos();
        rings.receive(FRAMES, 60, 5L, XdpMetadata.FLAG_TAI, false);
        socket.poll(writer, 256, 0);
        long after = Clocks.realtimeNanos();
        writer.publish();

        List<ReceivedFrame> records = ReceivedFrame.readAll(ringPath);
        assertThat(records).hasSize(2 * FRAMES);
        assertThat(records.subList(0, FRAMES)).allSatisfy(record -> assertThat(record.timestamp()).isEqualTo(5L));
        assertThat(records.subList(FRAMES, 2 * FRAMES))
            .allSatisfy(record -> assertThat(record.timestamp()).isBetween(before, after));
    }

    @Test
    void eachFrameKeepsItsOwnMetadataAcrossThePollsBatches() {
        // 20 NIC-stamped, 20 without metadata, 20 TAI-stamped frames in one poll: more than one batch of loads
        // ahead of the copies, the runs of each kind straddling the batches' edges.
        rings.receive(20, 60, 111L, XdpMetadata.FLAG_HARDWARE, true);
        rings.receive(20, 60, 222L, XdpMetadata.FLAG_TAI, false);
        rings.receive(20, 60, 333L, XdpMetadata.FLAG_TAI, true);
        long before = Clocks.realtimeNanos();
        assertThat(socket.poll(writer, 256, 300L)).isEqualTo(60);
        long after = Clocks.realtimeNanos();
        writer.publish();

        List<ReceivedFrame> records = ReceivedFrame.readAll(ringPath);
        assertThat(records).hasSize(60);
        assertThat(records.subList(0, 20)).allSatisfy(record -> {
            assertThat(record.timestamp()).isEqualTo(111L);
            assertThat(record.flags() & RecordDescriptor.FLAG_HARDWARE_TIMESTAMP).isNotZero();
        });
        assertThat(records.subList(20, 40)).allSatisfy(record -> {
            assertThat(record.timestamp()).isBetween(before, after);
            assertThat(record.flags() & RecordDescriptor.FLAG_HARDWARE_TIMESTAMP).isZero();
        });
        assertThat(records.subList(40, 60)).allSatisfy(record -> {
            assertThat(record.timestamp()).isEqualTo(333L - 300L);
            assertThat(record.flags() & RecordDescriptor.FLAG_HARDWARE_TIMESTAMP).isZero();
        });
    }

    @Test
    void aPollMovesNoMoreThanItsLimitAndTheRestWaits() {
        rings.receive(50, 60, 1L, XdpMetadata.FLAG_TAI, true);
        assertThat(socket.poll(writer, 16, 0)).isEqualTo(16);
        assertThat(rings.fillAvailable()).isEqualTo(FRAMES - 50 + 16);
        assertThat(socket.poll(writer, 256, 0)).isEqualTo(34);
        writer.publish();
        assertThat(ReceivedFrame.readAll(ringPath)).hasSize(50);
    }

    @Test
    void theKernelSideDropsWhatDoesNotFitAsTheKernelWould() {
        assertThat(rings.receive(FRAMES + 10, 60, 1L, XdpMetadata.FLAG_TAI, true)).isEqualTo(FRAMES);
        assertThat(rings.receive(1, 60, 1L, XdpMetadata.FLAG_TAI, true)).as("fill ring dry, RX ring full").isZero();
        assertThat(socket.poll(writer, 256, 0)).isEqualTo(FRAMES);
    }

    @Test
    void ringsOfABadShapeAreRefused() {
        assertThatThrownBy(() -> new InMemoryXskRings(100, 2048, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InMemoryXskRings(64, 256, false)).isInstanceOf(IllegalArgumentException.class);
    }
}
