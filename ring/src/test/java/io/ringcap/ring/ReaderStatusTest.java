package io.ringcap.ring;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ReaderStatusTest {
    @TempDir
    Path directory;

    private Path ringWith(int records, long capacity) {
        Path ring = directory.resolve("r.ring");
        RingFile.create(ring, capacity, true).close();
        MemorySegment frame = Arena.ofAuto().allocate(100);
        try (RingWriter writer = RingWriter.open(ring, TimestampSource.USER, "test")) {
            for (int i = 0; i < records; i++) {
                writer.write(frame, 0, 100, 100, i, 0, 0);
            }
            writer.publish();
        }
        return ring;
    }

    @Test
    void aReaderAnnouncesItsCountersAndDisappearsWhenClosed() {
        Path ring = ringWith(10, RingDescriptor.MIN_CAPACITY);
        try (RingReader reader = RingReader.open(ring, RingReader.Start.OLDEST);
             ReaderStatusWriter status = ReaderStatusWriter.open(ring, reader.header(), "tail", false)) {
            assertThat(status.path()).isEqualTo(ReaderStatusDescriptor.file(ring, "tail", ProcessHandle.current().pid()));
            assertThat(status.due(1)).isTrue();
            assertThat(status.due(2)).isFalse();
            reader.poll(record -> { }, 100);
            status.update(reader);

            assertThat(ReaderStatus.list(ring)).singleElement().satisfies(found -> {
                assertThat(found.state()).isEqualTo(ReaderStatus.State.ALIVE);
                assertThat(found.name()).isEqualTo("tail");
                assertThat(found.pid()).isEqualTo(ProcessHandle.current().pid());
                assertThat(found.deliveredRecords()).isEqualTo(10);
                assertThat(found.deliveredBytes()).isEqualTo(1000);
                assertThat(found.position()).isEqualTo(reader.position());
                assertThat(found.recorder()).isFalse();
                assertThat(found.ringCreationNanos()).isEqualTo(reader.header().creationTimeNanos());
            });
            status.close();
            assertThat(ReaderStatus.list(ring)).isEmpty();
        }
    }

    @Test
    void aLappedReaderAnnouncesExactLoss() {
        Path ring = directory.resolve("small.ring");
        RingFile.create(ring, RingDescriptor.MIN_CAPACITY, true).close();
        MemorySegment frame = Arena.ofAuto().allocate(1000);
        try (RingWriter writer = RingWriter.open(ring, TimestampSource.USER, "test");
             RingReader reader = RingReader.open(ring, RingReader.Start.OLDEST);
             ReaderStatusWriter status = ReaderStatusWriter.open(ring, reader.header(), "slow", true)) {
            for (int i = 0; i < 500; i++) {
                writer.write(frame, 0, 1000, 1000, i, 0, 0);
            }
            writer.publish();
            while (reader.poll(record -> { }, 1000) > 0) {
                // drain
            }
            status.update(reader, 7, 8, 1, 2, 3);

            ReaderStatus found = ReaderStatus.list(ring).getFirst();
            assertThat(found.lostRecords()).isPositive();
            assertThat(found.seenRecords()).isEqualTo(500);
            assertThat(found.recorder()).isTrue();
            assertThat(found.recordedPackets()).isEqualTo(7);
            assertThat(found.lostToDisk()).isEqualTo(2);
            assertThat(found.diskErrors()).isEqualTo(3);
        }
    }

    @Test
    void aDeadReaderIsReportedDeadAndRemovedByTheNextOfItsName() throws Exception {
        Path ring = ringWith(1, RingDescriptor.MIN_CAPACITY);
        Path dead;
        try (RingReader reader = RingReader.open(ring, RingReader.Start.OLDEST)) {
            ReaderStatusWriter status = ReaderStatusWriter.open(ring, reader.header(), "record", true);
            // What a reader killed with -9 leaves: its file, naming a pid that no longer runs.
            dead = status.path().resolveSibling("record-999999999" + ReaderStatusDescriptor.SUFFIX);
            Files.copy(status.path(), dead);
            patchLong(dead, ReaderStatusDescriptor.PID_OFFSET, 999_999_999L);
            status.close();

            assertThat(ReaderStatus.list(ring)).singleElement()
                .satisfies(found -> assertThat(found.state()).isEqualTo(ReaderStatus.State.DEAD));
            try (ReaderStatusWriter next = ReaderStatusWriter.open(ring, reader.header(), "record", true)) {
                assertThat(dead).doesNotExist();
                assertThat(ReaderStatus.list(ring)).extracting(ReaderStatus::state).containsExactly(ReaderStatus.State.ALIVE);
            }
        }
    }

    @Test
    void truncatedForeignAndDamagedFilesAreCorruptWithAReason() throws Exception {
        Path ring = ringWith(1, RingDescriptor.MIN_CAPACITY);
        Path readers = Files.createDirectories(ReaderStatusDescriptor.directory(ring));
        Files.write(readers.resolve("a-1.status"), new byte[10]);
        Files.write(readers.resolve("b-2.status"), new byte[ReaderStatusDescriptor.LENGTH]);
        Path badName = readers.resolve("c-3.status");
        try (RingReader reader = RingReader.open(ring, RingReader.Start.OLDEST);
             ReaderStatusWriter status = ReaderStatusWriter.open(ring, reader.header(), "c", false)) {
            Files.copy(status.path(), badName);
        }
        patchInt(badName, ReaderStatusDescriptor.NAME_LENGTH_OFFSET, 5000);

        assertThat(ReaderStatus.list(ring)).extracting(ReaderStatus::state).containsOnly(ReaderStatus.State.CORRUPT);
        assertThat(ReaderStatus.list(ring)).extracting(ReaderStatus::problem).containsExactly(
            "it has 10 bytes, a reader status file has 256",
            "it does not start with the reader status magic \"RCREADER\"",
            "its name length 5000 is not from 1 to 64");
    }

    @Test
    void badNamesAreRefused() {
        Path ring = ringWith(1, RingDescriptor.MIN_CAPACITY);
        try (RingReader reader = RingReader.open(ring, RingReader.Start.OLDEST)) {
            assertThatThrownBy(() -> ReaderStatusWriter.open(ring, reader.header(), "../x", false))
                .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(ReaderStatus.list(directory.resolve("none.ring"))).isEmpty();
    }

    @Test
    void readersOfAHugetlbfsRingAnnounceThemselvesInDevShm() throws Exception {
        assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root"), "not root: cannot mount hugetlbfs");
        Path mount = Files.createDirectory(directory.resolve("huge"));
        assumeTrue(new ProcessBuilder("mount", "-t", "hugetlbfs", "none", mount.toString()).start().waitFor() == 0,
            "mount -t hugetlbfs failed");
        try {
            assertThat(ReaderStatusDescriptor.directory(mount.resolve("eth0.ring")))
                .isEqualTo(Path.of("/dev/shm", "ringcap" + mount.toString().replace('/', '_') + "_eth0.ring.readers"));
        } finally {
            new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor();
        }
        assertThat(ReaderStatusDescriptor.directory(directory.resolve("x.ring")))
            .isEqualTo(directory.toAbsolutePath().resolve("x.ring.readers"));
    }

    @Test
    void updatingAllocatesNothing() {
        Path ring = ringWith(10, RingDescriptor.MIN_CAPACITY);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (RingReader reader = RingReader.open(ring, RingReader.Start.OLDEST);
             ReaderStatusWriter status = ReaderStatusWriter.open(ring, reader.header(), "tail", true)) {
            for (int i = 0; i < 200_000; i++) {
                status.update(reader, i, i, i, i, i);
                status.due(i);
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100_000; i++) {
                status.update(reader, i, i, i, i, i);
                status.due(i);
            }
            assertThat(threads.getCurrentThreadAllocatedBytes() - before).isLessThan(1024);
        }
    }

    private static void patchLong(Path file, int offset, long value) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, value), offset);
        }
    }

    private static void patchInt(Path file, int offset, int value) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, value), offset);
        }
    }
}
