package io.ringcap.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The bpf(2) commands ringcap uses to load its XDP program and edit its maps, each throwing a
 * {@link LinuxException} named after the command. File descriptors returned are the caller's to
 * close ({@link Sockets#close}). Map calls are for the control path (editing the filter while
 * capture runs), not for a per-packet loop: each allocates a {@code bpf_attr}.
 */
public final class Bpf {
    /** Enough for the verifier's log of a rejected program of a few hundred instructions. */
    private static final int LOG_SIZE = 1 << 20;

    private Bpf() {
    }

    /** BPF_MAP_CREATE: a new map's file descriptor. */
    public static int createMap(int mapType, int keySize, int valueSize, int maxEntries, int mapFlags, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(BpfLayouts.BPF_ATTR);
            BpfLayouts.writeMapCreate(attr, mapType, keySize, valueSize, maxEntries, mapFlags, name);
            return (int) call(BpfLayouts.BPF_MAP_CREATE, attr, "bpf(BPF_MAP_CREATE, " + name + ")");
        }
    }

    /** BPF_MAP_UPDATE_ELEM with {@code BpfLayouts.BPF_ANY}, {@code BPF_NOEXIST} or {@code BPF_EXIST}. */
    public static void updateElement(int mapFd, MemorySegment key, MemorySegment value, long flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(BpfLayouts.BPF_ATTR);
            BpfLayouts.writeMapElement(attr, mapFd, key, value, flags);
            call(BpfLayouts.BPF_MAP_UPDATE_ELEM, attr, "bpf(BPF_MAP_UPDATE_ELEM)");
        }
    }

    /** BPF_MAP_LOOKUP_ELEM into {@code value}: false if the key is not in the map. */
    public static boolean lookupElement(int mapFd, MemorySegment key, MemorySegment value) {
        return elementCommand(BpfLayouts.BPF_MAP_LOOKUP_ELEM, mapFd, key, value, "bpf(BPF_MAP_LOOKUP_ELEM)");
    }

    /** BPF_MAP_DELETE_ELEM: false if the key was not in the map. */
    public static boolean deleteElement(int mapFd, MemorySegment key) {
        return elementCommand(BpfLayouts.BPF_MAP_DELETE_ELEM, mapFd, key, MemorySegment.NULL,
            "bpf(BPF_MAP_DELETE_ELEM)");
    }

    /**
     * BPF_MAP_GET_NEXT_KEY: writes the key after {@code key} (or the first key, for
     * {@link MemorySegment#NULL}) into {@code nextKey}; false after the last key.
     */
    public static boolean nextKey(int mapFd, MemorySegment key, MemorySegment nextKey) {
        return elementCommand(BpfLayouts.BPF_MAP_GET_NEXT_KEY, mapFd, key, nextKey, "bpf(BPF_MAP_GET_NEXT_KEY)");
    }

    /**
     * BPF_PROG_LOAD of {@code insns} (8-byte {@code bpf_insn}s): the program's file descriptor.
     * When the verifier rejects it, the load is repeated with a log and the exception carries the
     * verifier's last words.
     */
    public static int loadProgram(int progType, MemorySegment insns, String license, String name, int expectedAttachType) {
        return loadProgram(progType, insns, license, name, expectedAttachType, 0, 0);
    }

    /**
     * BPF_PROG_LOAD as above, bound to the interface {@code ifindex} (0 for none) with {@code progFlags}
     * such as {@code BpfLayouts.BPF_F_XDP_DEV_BOUND_ONLY}, as programs that call device kfuncs must be.
     */
    public static int loadProgram(int progType, MemorySegment insns, String license, String name, int expectedAttachType,
        int ifindex, int progFlags) {
        CallState state = CallState.ofCurrentThread();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(BpfLayouts.BPF_ATTR);
            MemorySegment licence = arena.allocateFrom(license);
            BpfLayouts.writeProgLoad(attr, progType, insns, licence, 0, MemorySegment.NULL, name, expectedAttachType);
            BpfLayouts.writeProgBinding(attr, ifindex, progFlags);
            long fd = Syscalls.bpf(state, BpfLayouts.BPF_PROG_LOAD, attr);
            if (fd >= 0) {
                return (int) fd;
            }
            MemorySegment log = arena.allocate(LOG_SIZE);
            BpfLayouts.writeProgLoad(attr, progType, insns, licence, 1, log, name, expectedAttachType);
            BpfLayouts.writeProgBinding(attr, ifindex, progFlags);
            fd = Syscalls.bpf(state, BpfLayouts.BPF_PROG_LOAD, attr);
            if (fd >= 0) {
                return (int) fd;
            }
            String verifierLog = log.getString(0).strip();
            String call = "bpf(BPF_PROG_LOAD, " + name + ")";
            throw verifierLog.isEmpty()
                ? LinuxException.of(call, state.errno())
                : LinuxException.of(call, state.errno(), "the verifier said: " + lastLines(verifierLog, 8));
        }
    }

    /** BPF_OBJ_PIN: makes the map or program {@code fd} outlive this process at {@code path} in a bpffs. */
    public static void pin(int fd, String path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(BpfLayouts.BPF_ATTR);
            BpfLayouts.writeObject(attr, arena.allocateFrom(path), fd, 0);
            call(BpfLayouts.BPF_OBJ_PIN, attr, "bpf(BPF_OBJ_PIN, " + path + ")");
        }
    }

    /** BPF_OBJ_GET: a file descriptor for the object pinned at {@code path}. */
    public static int openPinned(String path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(BpfLayouts.BPF_ATTR);
            BpfLayouts.writeObject(attr, arena.allocateFrom(path), 0, 0);
            return (int) call(BpfLayouts.BPF_OBJ_GET, attr, "bpf(BPF_OBJ_GET, " + path + ")");
        }
    }

    /**
     * BPF_LINK_CREATE: attaches {@code progFd} (for {@code BpfLayouts.BPF_XDP}, to the interface
     * index {@code target}); the attachment lasts as long as the returned link descriptor is open.
     */
    public static int createLink(int progFd, int target, int attachType, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(BpfLayouts.BPF_ATTR);
            BpfLayouts.writeLinkCreate(attr, progFd, target, attachType, flags);
            return (int) call(BpfLayouts.BPF_LINK_CREATE, attr, "bpf(BPF_LINK_CREATE)");
        }
    }

    /** BPF_PROG_TEST_RUN: runs the program {@code repeat} times on {@code dataIn} without any network. */
    public static TestRun testRun(int progFd, MemorySegment dataIn, MemorySegment dataOut, int repeat) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(BpfLayouts.BPF_ATTR);
            BpfLayouts.writeTestRun(attr, progFd, dataIn, dataOut, repeat);
            call(BpfLayouts.BPF_PROG_TEST_RUN, attr, "bpf(BPF_PROG_TEST_RUN)");
            return new TestRun(
                attr.get(JAVA_INT, BpfLayouts.TEST_RETVAL_OFFSET),
                attr.get(JAVA_INT, BpfLayouts.TEST_DATA_SIZE_OUT_OFFSET),
                attr.get(JAVA_INT, BpfLayouts.TEST_DURATION_OFFSET));
        }
    }

    /**
     * What BPF_PROG_TEST_RUN reported.
     *
     * @param result        the program's return value, e.g. {@code BpfLayouts.XDP_PASS}
     * @param dataSizeOut   bytes of packet after the program ran
     * @param durationNanos mean run time per repetition
     */
    public record TestRun(int result, int dataSizeOut, int durationNanos) {
    }

    private static boolean elementCommand(int command, int mapFd, MemorySegment key, MemorySegment value, String call) {
        CallState state = CallState.ofCurrentThread();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(BpfLayouts.BPF_ATTR);
            BpfLayouts.writeMapElement(attr, mapFd, key, value, 0);
            if (Syscalls.bpf(state, command, attr) == 0) {
                return true;
            }
            if (state.errno() == Errno.ENOENT) {
                return false;
            }
            throw LinuxException.of(call, state.errno());
        }
    }

    private static long call(int command, MemorySegment attr, String call) {
        CallState state = CallState.ofCurrentThread();
        return state.check(Syscalls.bpf(state, command, attr), call);
    }

    private static String lastLines(String text, int count) {
        String[] lines = text.split("\n");
        int from = Math.max(0, lines.length - count);
        return String.join(" | ", Arrays.copyOfRange(lines, from, lines.length));
    }
}
