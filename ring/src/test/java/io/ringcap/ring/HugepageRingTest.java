package io.ringcap.ring;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Rings on hugetlbfs: the test mounts its own hugetlbfs and reserves a few 2 MiB pages (root only). */
class HugepageRingTest {
    private static final Path NR_HUGEPAGES = Path.of("/proc/sys/vm/nr_hugepages");
    private static final int RESERVED = 8;
    private static Path mount;
    private static String previousPages;

    @BeforeAll
    static void mountHugetlbfs() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to mount hugetlbfs and reserve huge pages");
        assumeTrue(Files.isWritable(NR_HUGEPAGES), "needs a kernel with hugetlbfs (/proc/sys/vm/nr_hugepages)");
        previousPages = Files.readString(NR_HUGEPAGES).trim();
        Files.writeString(NR_HUGEPAGES, Long.toString(Long.parseLong(previousPages) + RESERVED));
        mount = Files.createTempDirectory("ringcap-hugetlbfs");
        assumeTrue(run("mount", "-t", "hugetlbfs", "-o", "pagesize=2M", "none", mount.toString()) == 0,
            "mount -t hugetlbfs failed (no hugetlbfs in this kernel or container)");
    }

    @AfterAll
    static void unmount() throws Exception {
        if (mount != null) {
            run("umount", mount.toString());
            Files.deleteIfExists(mount);
        }
        if (previousPages != null) {
            Files.writeString(NR_HUGEPAGES, previousPages);
        }
    }

    @Test
    void ringOnHugetlbfsUsesTheHugePageSizeAndWorks() {
        Path path = mount.resolve("ring");
        assertThat(Hugetlbfs.mountHolding(path)).hasValueSatisfying(m -> assertThat(m.pageSize()).isEqualTo(2 << 20));
        try (RingFile ring = RingFile.create(path, 4 << 20, false)) {
            assertThat(ring.header().pageSize()).isEqualTo(2 << 20);
            assertThat(ring.fileLength()).isEqualTo(6 << 20);
        }
        MemorySegment frame = Arena.ofAuto().allocate(1500, 8);
        try (RingWriter writer = RingWriter.open(path, TimestampSource.USER, "hugepages");
             RingReader reader = RingReader.open(path, RingReader.Start.OLDEST)) {
            writer.prefault();
            for (int i = 0; i < 10_000; i++) {
                TestFrames.fill(frame, i, 1000);
                writer.write(frame, 0, 1000, 1000, i, 0, 0);
                writer.publish();
                if (i % 100 == 99) {
                    reader.poll(record -> assertThat(TestFrames.check(record.buffer(), record.frameOffset(),
                        record.capturedLength())).isEqualTo(record.sequence()), Integer.MAX_VALUE);
                }
            }
            assertThat(reader.deliveredRecords()).isEqualTo(10_000);
        }
    }

    @Test
    void sizeBelowOneHugePageIsRefused() {
        assertThatThrownBy(() -> RingFile.create(mount.resolve("small"), 1 << 20, false))
            .isInstanceOf(RingException.class)
            .hasMessageContaining("is not a multiple of the huge page size 2 MiB");
    }

    @Test
    void ringLargerThanTheFreeHugePagesIsRefusedBeforeItCanCrash() {
        assertThatThrownBy(() -> RingFile.create(mount.resolve("huge"), 1L << 30, false))
            .isInstanceOf(RingException.class)
            .hasMessageContaining("not enough free huge pages")
            .hasMessageContaining("sysctl vm.nr_hugepages=");
        assertThat(mount.resolve("huge")).doesNotExist();
    }

    @Test
    void replacingARingCountsThePagesTheOldOneGivesBack() {
        long free = Hugetlbfs.freeDefaultPages();
        long capacity = Long.highestOneBit((free - 1) * (2L << 20));
        long pages = RingDescriptor.fileLength(capacity, 2 << 20) / (2 << 20);
        assumeTrue(pages <= free && 2 * pages > free,
            () -> free + " free huge pages: no ring size fits once but not twice");
        Path path = mount.resolve("replaced");
        RingFile.create(path, capacity, false).close();
        try (RingWriter writer = RingWriter.open(path, TimestampSource.USER, "fills its pages")) {
            writer.prefault();
        }
        assertThat(Hugetlbfs.freeDefaultPages()).as("the old ring holds its pages").isEqualTo(free - pages);

        RingFile.create(path, capacity, true).close();

        try (RingReader reader = RingReader.open(path, RingReader.Start.OLDEST)) {
            assertThat(reader.poll(record -> { }, 1)).as("a new, empty ring").isZero();
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }
}
