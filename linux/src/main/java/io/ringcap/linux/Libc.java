package io.ringcap.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The glibc functions ringcap calls, each bound once as a downcall that captures {@code errno}.
 * <p>
 * Every handle takes the capture segment of a {@link CallState} as its first argument, then the C
 * arguments. {@code size_t}, {@code ssize_t}, {@code off_t} and {@code unsigned long} are
 * {@code long} (x86_64 LP64); {@code socklen_t}, {@code pid_t} and {@code uid_t} are {@code int}.
 * Only {@link Syscalls} invokes these handles.
 */
final class Libc {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP =
        LINKER.defaultLookup().or(SymbolLookup.libraryLookup("libc.so.6", Arena.global()));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /** x86_64 syscall number of bpf(2); glibc has no wrapper for it. */
    static final long SYS_BPF = 321;

    static final MethodHandle SOCKET = bind("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    static final MethodHandle BIND = bind("bind", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    static final MethodHandle GETSOCKNAME = bind("getsockname", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    static final MethodHandle CLOSE = bind("close", JAVA_INT, JAVA_INT);
    static final MethodHandle SETSOCKOPT =
        bind("setsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    static final MethodHandle GETSOCKOPT =
        bind("getsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    static final MethodHandle SENDTO =
        bind("sendto", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    static final MethodHandle RECVMMSG = bind("recvmmsg", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS);
    static final MethodHandle SENDMMSG = bind("sendmmsg", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    static final MethodHandle POLL = bind("poll", JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    static final MethodHandle IOCTL = bindVariadic("ioctl", 2, JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS);
    static final MethodHandle IF_NAMETOINDEX = bind("if_nametoindex", JAVA_INT, ADDRESS);

    static final MethodHandle MMAP =
        bind("mmap", ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG);
    static final MethodHandle MUNMAP = bind("munmap", JAVA_INT, ADDRESS, JAVA_LONG);
    static final MethodHandle MLOCK = bind("mlock", JAVA_INT, ADDRESS, JAVA_LONG);
    static final MethodHandle MUNLOCK = bind("munlock", JAVA_INT, ADDRESS, JAVA_LONG);
    static final MethodHandle MLOCKALL = bind("mlockall", JAVA_INT, JAVA_INT);
    static final MethodHandle MADVISE = bind("madvise", JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);

    static final MethodHandle SCHED_SETAFFINITY = bind("sched_setaffinity", JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS);
    static final MethodHandle SCHED_GETAFFINITY = bind("sched_getaffinity", JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS);
    static final MethodHandle GETTID = bind("gettid", JAVA_INT);
    static final MethodHandle GETPID = bind("getpid", JAVA_INT);
    static final MethodHandle KILL = bind("kill", JAVA_INT, JAVA_INT, JAVA_INT);
    static final MethodHandle CLOCK_GETTIME = bind("clock_gettime", JAVA_INT, JAVA_INT, ADDRESS);
    static final MethodHandle ADJTIMEX = bind("adjtimex", JAVA_INT, ADDRESS);

    static final MethodHandle PRCTL =
        bindVariadic("prctl", 1, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    static final MethodHandle CAPGET = bind("capget", JAVA_INT, ADDRESS, ADDRESS);
    static final MethodHandle CAPSET = bind("capset", JAVA_INT, ADDRESS, ADDRESS);
    static final MethodHandle SETUID = bind("setuid", JAVA_INT, JAVA_INT);
    static final MethodHandle SETGID = bind("setgid", JAVA_INT, JAVA_INT);
    static final MethodHandle SETGROUPS = bind("setgroups", JAVA_INT, JAVA_LONG, ADDRESS);
    static final MethodHandle SETNS = bind("setns", JAVA_INT, JAVA_INT, JAVA_INT);
    static final MethodHandle MOUNT = bind("mount", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS);
    static final MethodHandle OPEN = bindVariadic("open", 2, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    static final MethodHandle FALLOCATE = bind("fallocate", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);
    static final MethodHandle FTRUNCATE = bind("ftruncate", JAVA_INT, JAVA_INT, JAVA_LONG);
    static final MethodHandle SYNC_FILE_RANGE = bind("sync_file_range", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT);
    static final MethodHandle POSIX_FADVISE = bind("posix_fadvise", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT);
    static final MethodHandle SYSCALL_BPF =
        bindVariadic("syscall", 1, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG);

    private Libc() {
    }

    private static MethodHandle bind(String name, MemoryLayout result, MemoryLayout... arguments) {
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(result, arguments), CAPTURE_ERRNO);
    }

    private static MethodHandle bindVariadic(
        String name, int firstVariadic, MemoryLayout result, MemoryLayout... arguments) {
        return LINKER.downcallHandle(
            symbol(name),
            FunctionDescriptor.of(result, arguments),
            CAPTURE_ERRNO,
            Linker.Option.firstVariadicArg(firstVariadic));
    }

    private static MemorySegment symbol(String name) {
        return LOOKUP.find(name).orElseThrow(() -> new UnsatisfiedLinkError("glibc has no symbol " + name));
    }
}
