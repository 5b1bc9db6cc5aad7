package io.ringcap.cli;

import io.ringcap.ring.Hugetlbfs;
import io.ringcap.ring.Sizes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/** The file system a ring lives on, which decides whether its pages are memory (and huge) or disk. */
record Backing(String type, Optional<Hugetlbfs.Mount> hugetlbfs) {
    private static final Set<String> MEMORY_TYPES = Set.of("hugetlbfs", "tmpfs", "ramfs");

    /** The backing of the existing file {@code path}. */
    static Backing of(Path path) {
        Optional<Hugetlbfs.Mount> mount = Hugetlbfs.mountHolding(path);
        if (mount.isPresent()) {
            return new Backing("hugetlbfs", mount);
        }
        try {
            return new Backing(Files.getFileStore(path).type(), Optional.empty());
        } catch (IOException e) {
            return new Backing("unknown", Optional.empty());
        }
    }

    /** Whether the ring's pages are memory, not a page cache the kernel writes back to a disk. */
    boolean isMemory() {
        return MEMORY_TYPES.contains(type);
    }

    /** E.g. "hugetlbfs (/dev/hugepages, 2 MiB pages)" or "tmpfs". */
    String describe() {
        return hugetlbfs
            .map(mount -> type + " (" + mount.mountPoint() + ", " + Sizes.format(mount.pageSize()) + " pages)")
            .orElse(type);
    }
}
