package io.ringcap.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The BPF file system (bpffs), where maps and programs are pinned so that other processes can open
 * them by path. Distributions usually mount it at {@value #DEFAULT_MOUNT}; a minimal host or
 * container may not, so {@link #ensureMounted} mounts it when it is missing.
 */
public final class BpfFileSystem {
    /** Where bpffs is mounted by convention (systemd, libbpf, iproute2). */
    public static final String DEFAULT_MOUNT = "/sys/fs/bpf";

    private BpfFileSystem() {
    }

    /** True if a bpffs is mounted exactly at {@code directory}, according to /proc/self/mounts. */
    public static boolean isMounted(Path directory) {
        return isMountedIn(readMounts(), directory.toAbsolutePath().normalize().toString());
    }

    /**
     * True if {@code mounts} (the text of /proc/self/mounts) has a bpf file system at {@code directory}. The
     * kernel writes a space, tab, newline or backslash in a mount point as an octal escape ({@code \040}).
     */
    static boolean isMountedIn(List<String> mounts, String directory) {
        for (String line : mounts) {
            String[] fields = line.split(" ");
            if (fields.length >= 3 && fields[2].equals("bpf") && unescape(fields[1]).equals(directory)) {
                return true;
            }
        }
        return false;
    }

    /** A mount point as written in /proc/self/mounts, with its {@code \ooo} escapes decoded. */
    private static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder decoded = new StringBuilder(field.length());
        int i = 0;
        while (i < field.length()) {
            if (field.charAt(i) == '\\' && i + 4 <= field.length() && isOctal(field, i + 1, i + 4)) {
                decoded.append((char) Integer.parseInt(field, i + 1, i + 4, 8));
                i += 4;
            } else {
                decoded.append(field.charAt(i++));
            }
        }
        return decoded.toString();
    }

    private static boolean isOctal(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }

    /**
     * Mounts a bpffs at {@code mountPoint} unless one is there (needs CAP_SYS_ADMIN), then creates
     * {@code directory} below it.
     *
     * @throws LinuxException if the mount fails
     */
    public static void ensureMounted(Path mountPoint, Path directory) {
        if (!isMounted(mountPoint)) {
            try (Arena arena = Arena.ofConfined()) {
                CallState state = CallState.ofCurrentThread();
                MemorySegment target = arena.allocateFrom(mountPoint.toString());
                MemorySegment type = arena.allocateFrom("bpf");
                state.check(Syscalls.mount(state, type, target, type, 0, MemorySegment.NULL),
                    "mount(bpf, " + mountPoint + ")");
            }
        }
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory + " in the BPF file system", e);
        }
    }

    private static List<String> readMounts() {
        try {
            return Files.readAllLines(Path.of("/proc/self/mounts"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/mounts", e);
        }
    }
}
