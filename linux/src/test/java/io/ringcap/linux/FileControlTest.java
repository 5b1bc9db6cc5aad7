package io.ringcap.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FileControlTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path directory;

    @Test
    void reservedSpaceIsAllocatedWithoutChangingTheSizeAndTruncatingToTheSizeGivesItBack() throws IOException {
        Path file = directory.resolve("recording");
        Files.write(file, new byte[1000]);
        try (FileControl space = FileControl.open(file)) {
            FileControl.Outcome outcome = space.reserve(1000, 16 * MIB);
            assumeThat(outcome).as("the file system of " + directory + " reserves space")
                .isNotEqualTo(FileControl.Outcome.UNSUPPORTED);
            assertThat(outcome).isEqualTo(FileControl.Outcome.RESERVED);
            assertThat(Files.size(file)).isEqualTo(1000);
            assertThat(allocatedBytes(file)).isGreaterThanOrEqualTo(16 * MIB);

            space.truncate(1000);
            assertThat(Files.size(file)).isEqualTo(1000);
            assertThat(allocatedBytes(file)).isLessThan(MIB);
        }
    }

    @Test
    void aReservationLargerThanTheFreeSpaceSaysSoAndReservesNothing() throws Exception {
        assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root"), "not root: cannot mount a tmpfs");
        // A file system of its own, 4 MiB: a reservation that fails on the real disk would fill it first.
        Path small = Files.createDirectory(directory.resolve("small"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", small.toString()) == 0, "mount -t tmpfs failed");
        try {
            Path file = small.resolve("recording");
            Files.createFile(file);
            try (FileControl space = FileControl.open(file)) {
                assertThat(space.reserve(0, 8 * MIB)).isEqualTo(FileControl.Outcome.NO_SPACE);
                assertThat(allocatedBytes(file)).isZero();
                assertThat(space.reserve(0, 2 * MIB)).isEqualTo(FileControl.Outcome.RESERVED);
                assertThat(allocatedBytes(file)).isEqualTo(2 * MIB);
            }
        } finally {
            run("umount", "-l", small.toString());
        }
    }

    @Test
    void aFileSystemWithoutFallocateIsUnsupported() {
        // procfs files have no fallocate; a process may open its own comm for writing.
        try (FileControl space = FileControl.open(Path.of("/proc/thread-self/comm"))) {
            assertThat(space.reserve(0, 4096)).isEqualTo(FileControl.Outcome.UNSUPPORTED);
        }
    }

    @Test
    void otherFailuresNameTheCallAndTheError() throws IOException {
        Path file = directory.resolve("recording");
        Files.createFile(file);
        assertThatThrownBy(() -> FileControl.open(directory.resolve("missing")))
            .isInstanceOf(LinuxException.class).hasMessageContaining("open(").hasMessageContaining("ENOENT");
        FileControl space = FileControl.open(file);
        assertThatThrownBy(() -> space.reserve(-1, 4096))
            .isInstanceOf(LinuxException.class).hasMessageContaining("fallocate(").hasMessageContaining("EINVAL");
        assertThatThrownBy(() -> space.truncate(-1))
            .isInstanceOf(LinuxException.class).hasMessageContaining("ftruncate(").hasMessageContaining("EINVAL");
        space.close();
        assertThatThrownBy(() -> space.reserve(0, 4096)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("closed");
    }

    @Test
    void writtenBytesSentToTheDiskAndDroppedLeaveThePageCache() throws Exception {
        assumeTrue(new ProcessBuilder("fincore", "--version").start().waitFor() == 0, "no fincore (util-linux-extra)");
        // On a disk, not a tmpfs (which /tmp may be), whose pages are the file itself.
        Path onDisk = Files.createTempDirectory(Path.of("/var/tmp"), "ringcap-file-control-test");
        Path file = onDisk.resolve("recording");
        try {
            assumeTrue(!Files.getFileStore(onDisk).type().equals("tmpfs"), "/var/tmp is a tmpfs");
            byte[] chunk = new byte[(int) MIB];
            java.util.Arrays.fill(chunk, (byte) 7);
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
                for (int i = 0; i < 8; i++) {
                    channel.write(java.nio.ByteBuffer.wrap(chunk));
                }
            }
            assertThat(cachedBytes(file)).as("just written").isEqualTo(8 * MIB);
            try (FileControl control = FileControl.open(file)) {
                control.startWriteBack(0, 8 * MIB);
                control.awaitWriteBackAndDrop(0, 4 * MIB);
                assertThat(cachedBytes(file)).as("the first half dropped").isEqualTo(4 * MIB);
                control.awaitWriteBackAndDrop(4 * MIB, 4 * MIB);
                assertThat(cachedBytes(file)).isZero();
                assertThatThrownBy(() -> control.startWriteBack(-1, MIB)).isInstanceOf(LinuxException.class)
                    .hasMessageContaining("sync_file_range(").hasMessageContaining("EINVAL");
            }
            byte[] back = Files.readAllBytes(file);
            assertThat(back).hasSize((int) (8 * MIB)).containsOnly((byte) 7);
        } finally {
            Files.deleteIfExists(file);
            Files.delete(onDisk);
        }
    }

    /** The bytes of {@code file} in the page cache, from fincore(1). */
    private static long cachedBytes(Path file) throws IOException {
        Process fincore = new ProcessBuilder("fincore", "--bytes", "--noheadings", "--output", "RES", file.toString())
            .redirectErrorStream(true).start();
        return Long.parseLong(new String(fincore.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim());
    }

    private static int run(String... command) throws IOException, InterruptedException {
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    /** st_blocks * 512, from stat(1): Java's file attributes do not give the space a file takes. */
    private static long allocatedBytes(Path file) throws IOException {
        Process stat = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).redirectErrorStream(true).start();
        String[] out = new String(stat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim().split(" ");
        return Long.parseLong(out[0]) * Long.parseLong(out[1]);
    }
}
