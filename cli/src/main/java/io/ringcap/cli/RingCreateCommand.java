package io.ringcap.cli;

import io.ringcap.ring.Hugetlbfs;
import io.ringcap.ring.RingDescriptor;
import io.ringcap.ring.RingFile;
import io.ringcap.ring.RingHeader;
import io.ringcap.ring.Sizes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code ringcap ring create PATH --size 8g}: makes an empty ring that a capture process then writes. */
@Command(name = "create", description = "Create an empty ring file.")
final class RingCreateCommand implements Callable<Integer> {
    /** The page size x86-64 hugetlbfs uses unless told otherwise; only used to suggest a page count. */
    private static final int TYPICAL_HUGE_PAGE = 2 << 20;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH",
        description = "Ring file to create, e.g. /dev/hugepages/eth0.ring or /dev/shm/eth0.ring.")
    Path path;

    @Option(names = "--size", required = true, paramLabel = "SIZE", converter = SizeConverter.class,
        description = "Bytes of records: a power of two, at least 64k, e.g. 64m, 1g, 8g.")
    long size;

    @Option(names = "--hugepages",
        description = "Insist on huge pages: PATH must be on a hugetlbfs mount such as /dev/hugepages.")
    boolean hugepages;

    @Option(names = {"-f", "--force"},
        description = "Replace an existing file at PATH (readers still mapping it keep the old ring).")
    boolean force;

    @Override
    public Integer call() {
        // The ring refuses a size it can never have, before anything touches the file system: a failure (exit 1)
        // like the ring's other refusals (not a multiple of the huge page, no permission), as the ring issue asks.
        if (!RingDescriptor.isValidCapacity(size)) {
            throw new CommandFailure(
                RingDescriptor.invalidCapacity("--size " + size + " (" + Sizes.format(size) + ")"));
        }
        if (hugepages && Hugetlbfs.mountHolding(path).isEmpty()) {
            throw new CommandFailure(notOnHugetlbfs());
        }
        PrintWriter out = spec.commandLine().getOut();
        try (RingFile ring = RingFile.create(path, size, force)) {
            RingHeader header = ring.header();
            Backing backing = Backing.of(path);
            out.printf("created    %s%n", path);
            out.printf("capacity   %s (%d bytes)%n", Sizes.format(header.capacity()), header.capacity());
            out.printf("file size  %s (%d bytes)%n", Sizes.format(ring.fileLength()), ring.fileLength());
            out.printf("page size  %s%n", Sizes.format(header.pageSize()));
            out.printf("backing    %s%n", backing.describe());
            out.printf("max frame  %d bytes%n", header.maxCapturedLength());
            out.flush();
            if (!backing.isMemory()) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("ringcap: note: " + path + " is on " + backing.type() + ", not memory: the kernel writes"
                    + " its pages back to disk, which slows the writer; for capture use /dev/shm or a hugetlbfs mount");
                err.flush();
            }
        }
        return 0;
    }

    private String notOnHugetlbfs() {
        String name = path.getFileName().toString();
        String where = path.getParent() == null
            ? "'" + path + "' is a bare file name, so the ring would go in the current directory "
                + path.toAbsolutePath().getParent() + ", which is not on a hugetlbfs mount"
            : path + " is not on a hugetlbfs mount";
        List<Hugetlbfs.Mount> mounts = Hugetlbfs.mounts();
        if (mounts.isEmpty()) {
            long pages = RingDescriptor.fileLength(size, TYPICAL_HUGE_PAGE) / TYPICAL_HUGE_PAGE;
            return "--hugepages: " + where + ", and no hugetlbfs is mounted on this host: mount one with"
                + " 'mount -t hugetlbfs none /dev/hugepages', reserve pages with 'sysctl vm.nr_hugepages=N'"
                + " (N = " + pages + " for a ring of " + Sizes.format(size) + " with 2 MiB pages), then create"
                + " the ring there, e.g. /dev/hugepages/" + name;
        }
        String mounted = mounts.stream()
            .map(mount -> mount.mountPoint() + " (" + Sizes.format(mount.pageSize()) + " pages)")
            .collect(Collectors.joining(", "));
        return "--hugepages: " + where + "; hugetlbfs is mounted at " + mounted + ": create the ring there, e.g. "
            + mounts.getFirst().mountPoint().resolve(name);
    }
}
