package io.ringcap.cli;

import io.ringcap.ring.Hugetlbfs;
import io.ringcap.ring.RingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class RingCreateCommandTest {
    @TempDir
    Path directory;

    @Test
    void createsARingAndSaysWhatItMade() {
        Path path = directory.resolve("a.ring");

        CommandResult result = CommandResult.execute("ring", "create", path.toString(), "--size", "1m");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out())
            .contains("created    " + path)
            .contains("capacity   1 MiB (1048576 bytes)")
            .contains("page size  4 KiB")
            .containsPattern("file size  .* \\(\\d+ bytes\\)")
            .containsPattern("backing    \\S+");
        try (RingFile ring = RingFile.openForReading(path)) {
            assertThat(ring.header().capacity()).isEqualTo(1L << 20);
        }
    }

    @Test
    void sizeThatIsNotAPowerOfTwoIsRefusedWithExit1AndCreatesNothing() {
        Path path = directory.resolve("a.ring");

        CommandResult result = CommandResult.execute("ring", "create", path.toString(), "--size", "100");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("ringcap: --size 100 (100 B) is not a power of two between 64 KiB and 64 TiB");
        assertThat(path).doesNotExist();
    }

    @Test
    void sizeThatIsNotASizeIsAUsageError() {
        CommandResult result = CommandResult.execute("ring", "create", directory.resolve("a.ring").toString(),
            "--size", "garbage");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("'garbage' is not a size").contains("Try 'ringcap ring create --help'");
    }

    @Test
    void missingSizeIsAUsageError() {
        CommandResult result = CommandResult.execute("ring", "create", directory.resolve("a.ring").toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Missing required option: '--size=SIZE'");
    }

    @Test
    void existingFileIsKeptWithoutForceAndReplacedWithIt() throws Exception {
        Path path = directory.resolve("a.ring");
        Files.writeString(path, "precious");

        CommandResult refused = CommandResult.execute("ring", "create", path.toString(), "--size", "64k");

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).startsWith("ringcap: cannot create ring " + path + ": the file exists (replace it with --force)");
        assertThat(path).hasContent("precious");

        CommandResult forced = CommandResult.execute("ring", "create", path.toString(), "--size", "64k", "--force");

        assertThat(forced.exitCode()).isZero();
        assertThat(Files.size(path)).isGreaterThan(64 * 1024);
    }

    @Test
    void missingDirectoryIsARuntimeFailure() {
        Path path = directory.resolve("no/such/dir/a.ring");

        CommandResult result = CommandResult.execute("ring", "create", path.toString(), "--size", "64k");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("does not exist").hasLineCount(1);
    }

    @Test
    void hugepagesOffHugetlbfsFailsWithHowToMountOne() {
        Path path = directory.resolve("a.ring");
        assumeTrue(Hugetlbfs.mountHolding(path).isEmpty(), "the temporary directory is on hugetlbfs");

        CommandResult result = CommandResult.execute("ring", "create", path.toString(), "--size", "8g", "--hugepages");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("ringcap: --hugepages: " + path + " is not on a hugetlbfs mount").hasLineCount(1);
        if (Hugetlbfs.mounts().isEmpty()) {
            assertThat(result.err())
                .contains("no hugetlbfs is mounted on this host")
                .contains("'mount -t hugetlbfs none /dev/hugepages'")
                .contains("'sysctl vm.nr_hugepages=N' (N = 4097 for a ring of 8 GiB with 2 MiB pages)")
                .contains("e.g. /dev/hugepages/a.ring");
        } else {
            assertThat(result.err()).contains("hugetlbfs is mounted at " + Hugetlbfs.mounts().getFirst().mountPoint());
        }
        assertThat(path).doesNotExist();
    }

    @Test
    void hugepagesWithABareFileNameSaysWhereItWouldGo() {
        assumeTrue(Hugetlbfs.mountHolding(Path.of("").toAbsolutePath()).isEmpty(), "the working directory is on hugetlbfs");

        CommandResult result = CommandResult.execute("ring", "create", "eth0.ring", "--size", "1g", "--hugepages");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("ringcap: --hugepages: 'eth0.ring' is a bare file name, so the ring would go"
            + " in the current directory " + Path.of("").toAbsolutePath());
        assertThat(Path.of("eth0.ring")).doesNotExist();
    }
}
