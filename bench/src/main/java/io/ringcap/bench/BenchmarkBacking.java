package io.ringcap.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import io.ringcap.ring.Hugetlbfs;
import io.ringcap.ring.RingDescriptor;
import io.ringcap.ring.Sizes;

/**
 * Where the short ring benchmarks ({@link RingBenchmarkReport}) keep their buffers: the ring, Agrona's broadcast
 * buffer and the copy ceiling's, all on the same kind of page so that the comparison stays fair. By default a
 * hugetlbfs mount with enough free huge pages, as production rings run (on a 2-vCPU VM, a 64 MiB ring of 256-byte
 * frames: 19-24 ns a record on 2 MiB pages against 28-37 on tmpfs, whose 4 KiB pages also made forks differ by up
 * to 1.7x), else tmpfs.
 *
 * @param directory   where the buffers' files go; each fork gets it as {@value ShmFile#DIRECTORY_PROPERTY}
 * @param description how the results name it, e.g. {@code hugetlbfs /dev/hugepages (2 MiB pages)}
 * @param advice      how to measure on huge pages when the default fell back to tmpfs, else empty
 */
public record BenchmarkBacking(Path directory, String description, String advice) {
    /** The short run's ring capacity: the benchmarks' own {@code ringSize} default. */
    static final long RING_CAPACITY = 64L << 20;
    /** Files one fork holds at most at once (ring, or Agrona's buffer, or the ceiling's), with one to spare. */
    private static final int FILES_AT_ONCE = 2;
    private static final Path TMPFS = Path.of("/dev/shm");

    /** The default: the first hugetlbfs mount with enough free huge pages, else tmpfs, with advice on why. */
    public static BenchmarkBacking choose() {
        String shortfall = "no hugetlbfs mount ('mount -t hugetlbfs none /dev/hugepages')";
        for (Hugetlbfs.Mount mount : Hugetlbfs.mounts()) {
            long needed = pagesNeeded(mount.pageSize());
            long free = Hugetlbfs.freePages(mount.pageSize());
            if (free >= needed && Files.isWritable(mount.mountPoint())) {
                return onHugePages(mount);
            }
            shortfall = Math.max(free, 0) + " free huge pages of " + Sizes.format(mount.pageSize()) + " where "
                + needed + " are needed ('" + Hugetlbfs.reserveHint(mount.pageSize(), needed) + "' or more)";
        }
        Path directory = ShmFile.orTemporaryDirectory(TMPFS);
        return new BenchmarkBacking(directory, "tmpfs " + directory,
            "on normal pages: " + shortfall + ". Production rings run on huge pages; reserve them to measure so.");
    }

    /**
     * The buffers in {@code directory}, as the user asked. Throws {@link IllegalArgumentException} if it is not a
     * writable directory, and {@link IllegalStateException} if it is on hugetlbfs without enough free pages.
     */
    public static BenchmarkBacking in(Path directory) {
        if (!Files.isDirectory(directory) || !Files.isWritable(directory)) {
            throw new IllegalArgumentException(directory + " is not a writable directory");
        }
        Optional<Hugetlbfs.Mount> hugetlbfs = Hugetlbfs.mountHolding(directory);
        if (hugetlbfs.isEmpty()) {
            return new BenchmarkBacking(directory, directory.toString(), "");
        }
        int pageSize = hugetlbfs.get().pageSize();
        long needed = pagesNeeded(pageSize);
        long free = Hugetlbfs.freePages(pageSize);
        if (free >= 0 && free < needed) {
            throw new IllegalStateException(directory + " is on hugetlbfs with " + free + " free pages of "
                + Sizes.format(pageSize) + ", and the benchmarks need " + needed + ": reserve them with '"
                + Hugetlbfs.reserveHint(pageSize, needed) + "' (or more)");
        }
        return new BenchmarkBacking(directory, hugeDescription(directory, pageSize), "");
    }

    /**
     * The directory for a receive benchmark's ring by its {@code pages} parameter: {@code normal}, /dev/shm;
     * {@code huge}, the first hugetlbfs mount.
     */
    public static Path ringDirectory(String pages) {
        return switch (pages) {
            case "normal" -> TMPFS;
            case "huge" -> Hugetlbfs.mounts().stream().findFirst().map(Hugetlbfs.Mount::mountPoint)
                .orElseThrow(() -> new IllegalStateException("pages=huge needs a hugetlbfs mount, e.g. "
                    + "'mount -t hugetlbfs none /dev/hugepages'"));
            default -> throw new IllegalArgumentException("pages is normal or huge, not " + pages);
        };
    }

    /** The JVM option that gives a fork this directory. */
    String jvmArgument() {
        return "-D" + ShmFile.DIRECTORY_PROPERTY + "=" + directory;
    }

    /** Huge pages one fork needs: its largest files, each rounded up to whole pages. */
    static long pagesNeeded(int pageSize) {
        long ringFile = RingDescriptor.fileLength(RING_CAPACITY, pageSize);
        return FILES_AT_ONCE * ((ringFile + pageSize - 1) / pageSize);
    }

    private static BenchmarkBacking onHugePages(Hugetlbfs.Mount mount) {
        return new BenchmarkBacking(mount.mountPoint(), hugeDescription(mount.mountPoint(), mount.pageSize()), "");
    }

    private static String hugeDescription(Path directory, int pageSize) {
        return "hugetlbfs " + directory + " (" + Sizes.format(pageSize) + " pages)";
    }
}
