package io.ringcap.ring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Finds hugetlbfs mounts and their page size, from /proc/mounts and /proc/meminfo. */
public final class Hugetlbfs {
    private static final Path PROC_MOUNTS = Path.of("/proc/mounts");
    private static final Path PROC_MEMINFO = Path.of("/proc/meminfo");

    private Hugetlbfs() {
    }

    /** A hugetlbfs mount point and the size of its pages. */
    public record Mount(Path mountPoint, int pageSize) {
    }

    /** The hugetlbfs mount that holds {@code path}, if any (the longest mount point that is a prefix). */
    public static Optional<Mount> mountHolding(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Mount best = null;
        for (Mount mount : mounts()) {
            if (absolute.startsWith(mount.mountPoint())
                && (best == null || mount.mountPoint().getNameCount() > best.mountPoint().getNameCount())) {
                best = mount;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Every hugetlbfs mount of this host, in /proc/mounts order. */
    public static List<Mount> mounts() {
        try {
            return parseMounts(Files.readAllLines(PROC_MOUNTS), defaultPageSize());
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * The hugetlbfs mounts in lines of /proc/mounts; a mount without a {@code pagesize=} option has the default
     * huge page size, {@code defaultPageSize}.
     */
    static List<Mount> parseMounts(List<String> lines, int defaultPageSize) {
        return lines.stream()
            .map(line -> line.split(" "))
            .filter(fields -> fields.length >= 4 && fields[2].equals("hugetlbfs"))
            .map(fields -> new Mount(Path.of(unescape(fields[1])), pageSize(fields[3], defaultPageSize)))
            .toList();
    }

    /** Huge pages of the default size the kernel has free right now (HugePages_Free of /proc/meminfo), or -1. */
    public static long freeDefaultPages() {
        return meminfo("HugePages_Free:", 1);
    }

    /**
     * Huge pages of {@code pageSize} bytes the kernel has free right now (free_hugepages of that size's pool in
     * /sys/kernel/mm/hugepages), or -1 if unknown. Each page size has a pool of its own: a 1 GiB mount takes
     * nothing from the default 2 MiB pool that HugePages_Free counts.
     */
    public static long freePages(int pageSize) {
        try {
            return Long.parseLong(Files.readString(pool(pageSize).resolve("free_hugepages")).trim());
        } catch (IOException | NumberFormatException e) {
            return pageSize == defaultPageSize() ? freeDefaultPages() : -1;
        }
    }

    /** How to make {@code pages} huge pages of {@code pageSize} bytes available in all, in words a user can run. */
    public static String reserveHint(int pageSize, long pages) {
        return pageSize == defaultPageSize()
            ? "sysctl vm.nr_hugepages=" + pages
            : "echo " + pages + " > " + pool(pageSize).resolve("nr_hugepages");
    }

    /** The kernel's default huge page size (Hugepagesize of /proc/meminfo), or -1 if unknown. */
    private static int defaultPageSize() {
        return (int) meminfo("Hugepagesize:", 1024);
    }

    private static Path pool(int pageSize) {
        return Path.of("/sys/kernel/mm/hugepages/hugepages-" + pageSize / 1024 + "kB");
    }

    private static int pageSize(String options, int defaultPageSize) {
        for (String option : options.split(",")) {
            if (option.startsWith("pagesize=")) {
                return (int) Sizes.parse(option.substring("pagesize=".length()));
            }
        }
        return defaultPageSize;
    }

    private static long meminfo(String key, long unit) {
        try {
            for (String line : Files.readAllLines(PROC_MEMINFO)) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]) * unit;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** /proc/mounts writes spaces and other specials in mount points as octal escapes. */
    private static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length()) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
