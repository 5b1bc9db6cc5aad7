package io.ringcap.ring;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class RingFileTest {
    @TempDir
    Path dir;

    @Test
    void createdRingDescribesItselfInTheHeader() {
        Path path = dir.resolve("ring");
        try (RingFile ring = RingFile.create(path, 1 << 20, false)) {
            RingHeader header = ring.header();
            assertThat(header.magic()).isEqualTo(RingDescriptor.MAGIC);
            assertThat(header.version()).isEqualTo(RingDescriptor.FORMAT_VERSION);
            assertThat(header.capacity()).isEqualTo(1 << 20);
            assertThat(header.pageSize()).isEqualTo(4096);
            assertThat(header.epoch()).isZero();
            assertThat(header.writerState()).isEqualTo(RingDescriptor.STATE_NEW);
            assertThat(header.creationTimeNanos()).isCloseTo(System.currentTimeMillis() * 1_000_000L,
                org.assertj.core.data.Offset.offset(60_000_000_000L));
            assertThat(ring.fileLength()).isEqualTo(RingDescriptor.fileLength(1 << 20, 4096));
        }
    }

    @Test
    void ringInMemoryIsLaidOutAsAFileAndCarriesRecords() {
        RingFile ring = RingFile.inMemory(RingDescriptor.MIN_CAPACITY);
        assertThat(ring.header().version()).isEqualTo(RingDescriptor.FORMAT_VERSION);
        assertThat(ring.header().capacity()).isEqualTo(RingDescriptor.MIN_CAPACITY);
        assertThat(ring.fileLength()).isEqualTo(RingDescriptor.fileLength(RingDescriptor.MIN_CAPACITY, 4096));
        assertThat(ring.path()).isNull();
        RingWriter writer = RingWriter.over(ring, TimestampSource.USER, "in memory");
        RingReader reader = RingReader.over(ring, RingReader.Start.OLDEST);
        MemorySegment frame = MemorySegment.ofArray(new byte[] {1, 2, 3, 4});
        for (int i = 0; i < 3; i++) {
            writer.write(frame, 0, 4, 4, 100 + i, 9, 0);
        }
        writer.publish();
        List<Long> timestamps = new ArrayList<>();
        assertThat(reader.poll(record -> timestamps.add(record.timestampNanos()), 10)).isEqualTo(3);
        assertThat(timestamps).containsExactly(100L, 101L, 102L);
        reader.close();
        writer.close();
        assertThatThrownBy(() -> RingFile.inMemory(3 << 16)).isInstanceOf(RingException.class)
            .hasMessageContaining("is not a power of two");
    }

    @Test
    void sizeThatIsNotAPowerOfTwoIsRefused() {
        assertThatThrownBy(() -> RingFile.create(dir.resolve("ring"), 3 << 20, false))
            .isInstanceOf(RingException.class)
            .hasMessageContaining("is not a power of two between 64 KiB and 64 TiB");
        assertThatThrownBy(() -> RingFile.create(dir.resolve("ring"), 32 * 1024, false))
            .hasMessageContaining("is not a power of two");
        assertThat(dir.resolve("ring")).doesNotExist();
    }

    @Test
    void existingFileIsKeptUnlessReplaceIsAsked() throws IOException {
        Path path = dir.resolve("ring");
        Files.writeString(path, "precious");
        assertThatThrownBy(() -> RingFile.create(path, 1 << 20, false))
            .isInstanceOf(RingException.class)
            .hasMessageContaining("the file exists (replace it with --force)");
        assertThat(Files.readString(path)).isEqualTo("precious");
        RingFile.create(path, 1 << 20, true).close();
        RingFile.openForReading(path).close();
    }

    @Test
    void missingDirectoryIsNamed() {
        assertThatThrownBy(() -> RingFile.create(dir.resolve("no/such/ring"), 1 << 20, false))
            .isInstanceOf(RingException.class)
            .hasMessageContaining("does not exist");
    }

    @Test
    void missingRingSaysHowToCreateOne() {
        assertThatThrownBy(() -> RingFile.openForReading(dir.resolve("absent")))
            .isInstanceOf(RingException.class)
            .hasMessageContaining("no ring at")
            .hasMessageContaining("ringcap ring create");
    }

    @Test
    void directoryIsNotTakenForARing() {
        assertThatThrownBy(() -> RingFile.openForReading(dir))
            .isInstanceOf(RingException.class)
            .hasMessageContaining("is a directory, not a ring file");
    }

    @Test
    void fileThatIsNotARingIsRecognised() throws IOException {
        Path text = dir.resolve("text");
        Files.writeString(text, "x".repeat(10_000));
        assertThatThrownBy(() -> RingFile.openForReading(text))
            .isInstanceOf(RingException.class)
            .hasMessageContaining("is not a ring: it does not start with the ring magic");
        Path tiny = dir.resolve("tiny");
        Files.writeString(tiny, "RINGCAP");
        assertThatThrownBy(() -> RingFile.openForReading(tiny))
            .hasMessageContaining("is not a ring: it has 7 bytes");
        Path empty = Files.createFile(dir.resolve("empty"));
        assertThatThrownBy(() -> RingFile.openForWriting(empty)).hasMessageContaining("is not a ring: it has 0 bytes");
    }

    @Test
    void otherFormatVersionIsRefusedWithBothVersionsNamed() throws IOException {
        Path path = ring();
        poke(path, RingDescriptor.VERSION_OFFSET, 7);
        assertThatThrownBy(() -> RingFile.openForReading(path))
            .isInstanceOf(RingException.class)
            .hasMessageContaining("has format version 7 but this ringcap reads version 1");
        poke(path, RingDescriptor.VERSION_OFFSET, 0);
        assertThatThrownBy(() -> RingFile.openForReading(path)).hasMessageContaining("is still being created");
    }

    @Test
    void truncatedRingIsRefused() throws IOException {
        Path path = ring();
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            file.setLength(file.length() - 4096);
        }
        assertThatThrownBy(() -> RingFile.openForReading(path))
            .isInstanceOf(RingException.class)
            .hasMessageContaining("is truncated or damaged");
        assertThatThrownBy(() -> RingWriter.open(path, TimestampSource.USER, "x"))
            .hasMessageContaining("is truncated or damaged");
    }

    @Test
    void corruptHeaderIsRefused() throws IOException {
        Path path = ring();
        poke(path, RingDescriptor.CAPACITY_OFFSET, 12345);
        assertThatThrownBy(() -> RingFile.openForReading(path))
            .isInstanceOf(RingException.class)
            .hasMessageContaining("has a corrupt header");
    }

    @Test
    void unreadableRingSaysPermissionDenied() throws Exception {
        Path path = ring();
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("---------"));
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root) {
            assertThatThrownBy(() -> RingFile.openForReading(path))
                .isInstanceOf(RingException.class)
                .hasMessageContaining("permission denied");
            return;
        }
        // Root reads anything; a child JVM without CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH does not.
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (util-linux) to drop DAC override as root");
        List<String> command = new ArrayList<>(List.of("/usr/bin/setpriv", "--bounding-set=-dac_override,-dac_read_search",
            "--inh-caps=-dac_override,-dac_read_search", ProcessHandle.current().info().command().orElseThrow(),
            "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
            OpenRing.class.getName(), path.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(output).contains("permission denied");
        assertThat(process.exitValue()).isEqualTo(1);
    }

    /** Child process for the permission test: opens a ring for reading and prints the error. */
    public static final class OpenRing {
        public static void main(String[] args) {
            try {
                RingFile.openForReading(Path.of(args[0])).close();
            } catch (RingException e) {
                System.out.println(e.getMessage());
                System.exit(1);
            }
        }
    }

    private Path ring() {
        Path path = dir.resolve("ring");
        RingFile.create(path, 1 << 20, true).close();
        return path;
    }

    private static void poke(Path path, int offset, long value) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.nativeOrder());
            if (offset == RingDescriptor.VERSION_OFFSET) {
                bytes.putInt((int) value).flip();
            } else {
                bytes.putLong(value).flip();
            }
            file.getChannel().write(bytes, offset);
        }
    }
}
