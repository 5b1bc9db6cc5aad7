package io.ringcap.ring;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Reading /proc/mounts and the huge page pools; needs no privilege and no huge pages. */
class HugetlbfsTest {
    private static final int TWO_MIB = 2 << 20;

    @Test
    void hugetlbfsMountsAreFoundWithTheirPageSizeAndEscapedMountPoints() {
        List<String> lines = List.of(
            "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0",
            "none /dev/hugepages hugetlbfs rw,relatime,pagesize=2M 0 0",
            "hugetlbfs /mnt/huge\\0401g hugetlbfs rw,relatime,pagesize=1024M 0 0",
            "nodefault /mnt/plain hugetlbfs rw,relatime 0 0",
            "tmpfs /dev/shm tmpfs rw,nosuid,nodev 0 0",
            "short line");
        assertThat(Hugetlbfs.parseMounts(lines, TWO_MIB)).containsExactly(
            new Hugetlbfs.Mount(Path.of("/dev/hugepages"), TWO_MIB),
            new Hugetlbfs.Mount(Path.of("/mnt/huge 1g"), 1 << 30),
            new Hugetlbfs.Mount(Path.of("/mnt/plain"), TWO_MIB));
    }

    @Test
    void eachPageSizeCountsTheFreePagesOfItsOwnPool() {
        assumeTrue(Files.isDirectory(Path.of("/sys/kernel/mm/hugepages/hugepages-2048kB")), "no 2 MiB huge page pool");
        assertThat(Hugetlbfs.freePages(TWO_MIB)).isGreaterThanOrEqualTo(0);
        assertThat(Hugetlbfs.freePages(3 << 20)).as("a size with no pool").isEqualTo(-1);
    }

    @Test
    void theHintToReservePagesNamesTheRightPool() throws java.io.IOException {
        assumeTrue(Files.readString(Path.of("/proc/meminfo")).matches("(?s).*Hugepagesize:\\s+2048 kB.*"),
            "the default huge page is not 2 MiB");
        assertThat(Hugetlbfs.reserveHint(TWO_MIB, 5)).isEqualTo("sysctl vm.nr_hugepages=5");
        assertThat(Hugetlbfs.reserveHint(1 << 30, 9))
            .isEqualTo("echo 9 > /sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages");
    }
}
