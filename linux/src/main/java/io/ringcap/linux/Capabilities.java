package io.ringcap.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Linux capabilities of this process, and giving them all up.
 * <p>
 * Capabilities belong to threads, and a JVM has many: capset(2) changes the calling thread only.
 * {@link #dropAll} therefore uses glibc's setgroups/setgid/setuid, which glibc applies to every
 * thread of the process (as {@code tcpdump -Z} does); a thread leaving uid 0 loses its permitted
 * and effective sets. Afterwards it checks /proc/self/task/&#42;/status and fails if any thread
 * still holds a capability.
 */
public final class Capabilities {
    private static final Path TASKS = Path.of("/proc/self/task");

    private Capabilities() {
    }

    /** The calling thread's capability sets (capget). */
    public static CapabilitySets ofCurrentThread() {
        CallState state = CallState.ofCurrentThread();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment header = arena.allocate(CapabilityLayouts.CAP_HEADER);
            header.set(JAVA_INT, CapabilityLayouts.HEADER_VERSION_OFFSET, CapabilityLayouts.LINUX_CAPABILITY_VERSION_3);
            MemorySegment data = arena.allocate(CapabilityLayouts.CAP_DATA, CapabilityLayouts.LINUX_CAPABILITY_U32S_3);
            state.check(Syscalls.capget(state, header, data), "capget");
            long high = CapabilityLayouts.CAP_DATA.byteSize();
            return new CapabilitySets(
                join(data, CapabilityLayouts.DATA_EFFECTIVE_OFFSET, high),
                join(data, CapabilityLayouts.DATA_PERMITTED_OFFSET, high),
                join(data, CapabilityLayouts.DATA_INHERITABLE_OFFSET, high));
        }
    }

    /**
     * Gives up every capability of every thread for good: clears the supplementary groups, then
     * switches the whole process to {@code gid} and {@code uid} (e.g. 65534, nobody), then checks
     * that no thread kept a capability. Do it after the last privileged call and before the
     * capture loop; files opened and rings mapped stay usable.
     *
     * @throws IllegalArgumentException if {@code uid} is 0, which would keep root's capabilities
     * @throws LinuxException           if a call fails or a thread still holds capabilities
     */
    public static void dropAll(int uid, int gid) {
        if (uid == 0) {
            throw new IllegalArgumentException("dropping capabilities needs a uid other than 0 (e.g. 65534, nobody)");
        }
        CallState state = CallState.ofCurrentThread();
        // With keep-caps set, leaving uid 0 would keep the permitted set on this thread.
        state.check(Syscalls.prctl(state, CapabilityLayouts.PR_SET_KEEPCAPS, 0, 0, 0, 0), "prctl(PR_SET_KEEPCAPS, 0)");
        state.check(Syscalls.setgroups(state, 0, MemorySegment.NULL), "setgroups(0)");
        state.check(Syscalls.setgid(state, gid), "setgid(" + gid + ")");
        state.check(Syscalls.setuid(state, uid), "setuid(" + uid + ")");
        verifyNoneHeld();
    }

    /**
     * Throws unless every thread of the process has empty effective and permitted sets, as
     * /proc/self/task/&#42;/status shows them.
     */
    public static void verifyNoneHeld() {
        List<ThreadCapabilities> holding = ofAllThreads().stream().filter(ThreadCapabilities::holdsAny).toList();
        if (!holding.isEmpty()) {
            throw LinuxException.checkFailed(
                "capability check",
                holding.size() + " thread(s) still hold capabilities: " + holding,
                "drop them with Capabilities.dropAll before starting threads that set PR_SET_KEEPCAPS");
        }
    }

    /** The effective and permitted sets of every thread of this process, from /proc/self/task. */
    public static List<ThreadCapabilities> ofAllThreads() {
        List<ThreadCapabilities> threads = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(TASKS)) {
            for (Path task : tasks.toList()) {
                ThreadCapabilities thread = readStatus(task);
                if (thread != null) {
                    threads.add(thread);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + TASKS, e);
        }
        return threads;
    }

    private static ThreadCapabilities readStatus(Path task) {
        List<String> lines;
        try {
            lines = Files.readAllLines(task.resolve("status"));
        } catch (NoSuchFileException e) {
            return null; // the thread ended while we were listing
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + task.resolve("status"), e);
        }
        String name = "";
        long effective = 0;
        long permitted = 0;
        for (String line : lines) {
            if (line.startsWith("Name:")) {
                name = line.substring(5).strip();
            } else if (line.startsWith("CapEff:")) {
                effective = Long.parseUnsignedLong(line.substring(7).strip(), 16);
            } else if (line.startsWith("CapPrm:")) {
                permitted = Long.parseUnsignedLong(line.substring(7).strip(), 16);
            }
        }
        return new ThreadCapabilities(Integer.parseInt(task.getFileName().toString()), name, effective, permitted);
    }

    private static long join(MemorySegment data, long fieldOffset, long highOffset) {
        return Integer.toUnsignedLong(data.get(JAVA_INT, fieldOffset))
            | Integer.toUnsignedLong(data.get(JAVA_INT, highOffset + fieldOffset)) << 32;
    }
}
