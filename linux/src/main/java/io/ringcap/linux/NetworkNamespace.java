package io.ringcap.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Network namespaces: which one a thread is in, and moving a thread into another (setns).
 * <p>
 * A namespace belongs to a thread, not the process: {@link #enter} moves the calling thread only,
 * and the sockets that thread opens afterwards live in the new namespace (and stay there).
 * Use a dedicated platform thread; a virtual thread would move its carrier.
 */
public final class NetworkNamespace {
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int CLONE_NEWNET = 0x40000000;
    private static final Path NAMED = Path.of("/var/run/netns");

    private NetworkNamespace() {
    }

    /**
     * Moves the calling thread into the network namespace of the file {@code namespace}, e.g.
     * {@code /proc/<pid>/ns/net} or {@code /var/run/netns/<name>}. Needs CAP_SYS_ADMIN.
     */
    public static void enter(Path namespace) {
        CallState state = CallState.ofCurrentThread();
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            fd = Syscalls.open(state, arena.allocateFrom(namespace.toString()), O_RDONLY | O_CLOEXEC, 0);
        }
        if (fd < 0) {
            throw LinuxException.of("open(" + namespace + ")", state.errno(),
                "no such namespace file: named namespaces are in " + NAMED + ", a process's in /proc/<pid>/ns/net");
        }
        try {
            state.check(Syscalls.setns(state, fd, CLONE_NEWNET), "setns(" + namespace + ", CLONE_NEWNET)");
        } finally {
            Syscalls.close(state, fd);
        }
    }

    /** Moves the calling thread into the namespace {@code ip netns add name} created. */
    public static void enterNamed(String name) {
        enter(NAMED.resolve(name));
    }

    /** The calling thread's network namespace, e.g. {@code net:[4026531840]}: equal strings, same namespace. */
    public static String ofCurrentThread() {
        Path link = Path.of("/proc/thread-self/ns/net");
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + link, e);
        }
    }
}
