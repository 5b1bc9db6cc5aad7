package io.ringcap.linux;

import java.lang.foreign.MemorySegment;

/**
 * The raw system calls: each returns what the C function returns and leaves {@code errno} in the
 * {@link CallState} passed first; none throws {@link LinuxException}, none allocates.
 * <p>
 * <b>Hot-path-safe:</b> {@link #recvmmsg}, {@link #sendmmsg}, {@link #sendto}, {@link #poll} and
 * {@link #clockGettime} are what a capture loop may call: with a {@code CallState} and segments
 * allocated once before the loop, they allocate nothing on the Java heap (including on failure),
 * take no Java lock and make exactly one system call (clock_gettime none, through the vDSO). A
 * result of -1 means "look at {@code state.errno()}", and EAGAIN, EINTR, EBUSY and ENOBUFS are
 * usually for the loop to handle rather than to throw. The other calls are equally raw and,
 * except for the address segments {@link #mmap} passes through, allocation-free, but belong to
 * start-up; the classes named after what they do
 * ({@link Sockets}, {@link VirtualMemory}, {@link Bpf}, …) wrap them and throw instead.
 * <p>
 * All segments must be native ({@code Arena}-allocated or mapped), never heap segments.
 */
public final class Syscalls {
    private Syscalls() {
    }

    /** recvmmsg(2) without timeout: receives up to {@code vlen} datagrams into a {@code mmsghdr} vector. */
    public static int recvmmsg(CallState state, int fd, MemorySegment msgvec, int vlen, int flags) {
        try {
            return (int) Libc.RECVMMSG.invokeExact(state.segment(), fd, msgvec, vlen, flags, MemorySegment.NULL);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** sendmmsg(2): sends up to {@code vlen} datagrams from a {@code mmsghdr} vector. */
    public static int sendmmsg(CallState state, int fd, MemorySegment msgvec, int vlen, int flags) {
        try {
            return (int) Libc.SENDMMSG.invokeExact(state.segment(), fd, msgvec, vlen, flags);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * sendto(2). With an empty buffer and {@link MemorySegment#NULL} address it is the AF_XDP TX
     * wake-up ({@code sendto(fd, NULL, 0, MSG_DONTWAIT, NULL, 0)}).
     */
    public static long sendto(
        CallState state, int fd, MemorySegment buffer, long length, int flags, MemorySegment address) {
        try {
            return (long) Libc.SENDTO.invokeExact(
                state.segment(), fd, buffer, length, flags, address, (int) address.byteSize());
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** poll(2) over {@code count} {@code pollfd}s; the AF_XDP fill-ring and RX wake-up. */
    public static int poll(CallState state, MemorySegment pollfds, int count, int timeoutMillis) {
        try {
            return (int) Libc.POLL.invokeExact(state.segment(), pollfds, (long) count, timeoutMillis);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** clock_gettime(2) into a {@code timespec} (see {@link TimeLayouts#TIMESPEC}). */
    public static int clockGettime(CallState state, int clockId, MemorySegment timespec) {
        try {
            return (int) Libc.CLOCK_GETTIME.invokeExact(state.segment(), clockId, timespec);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** socket(2). */
    public static int socket(CallState state, int domain, int type, int protocol) {
        try {
            return (int) Libc.SOCKET.invokeExact(state.segment(), domain, type, protocol);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** bind(2) to the socket address in {@code address} (its size is the address length). */
    public static int bind(CallState state, int fd, MemorySegment address) {
        try {
            return (int) Libc.BIND.invokeExact(state.segment(), fd, address, (int) address.byteSize());
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** getsockname(2); {@code length} is a {@code socklen_t} holding the room in {@code address}, then the size used. */
    public static int getsockname(CallState state, int fd, MemorySegment address, MemorySegment length) {
        try {
            return (int) Libc.GETSOCKNAME.invokeExact(state.segment(), fd, address, length);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** close(2). */
    public static int close(CallState state, int fd) {
        try {
            return (int) Libc.CLOSE.invokeExact(state.segment(), fd);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** setsockopt(2) with the whole of {@code value} as the option. */
    public static int setsockopt(CallState state, int fd, int level, int name, MemorySegment value) {
        try {
            return (int) Libc.SETSOCKOPT.invokeExact(state.segment(), fd, level, name, value, (int) value.byteSize());
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** getsockopt(2); {@code length} is a {@code socklen_t} holding the room in {@code value}, then the size used. */
    public static int getsockopt(
        CallState state, int fd, int level, int name, MemorySegment value, MemorySegment length) {
        try {
            return (int) Libc.GETSOCKOPT.invokeExact(state.segment(), fd, level, name, value, length);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** ioctl(2) with a pointer argument, e.g. an {@code ifreq} (see {@link InterfaceLayouts}). */
    public static int ioctl(CallState state, int fd, long request, MemorySegment argument) {
        try {
            return (int) Libc.IOCTL.invokeExact(state.segment(), fd, request, argument);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** if_nametoindex(3): 0 when there is no such interface. */
    public static int ifNameToIndex(CallState state, MemorySegment name) {
        try {
            return (int) Libc.IF_NAMETOINDEX.invokeExact(state.segment(), name);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** mmap(2): the mapping's address, or -1 ({@code MAP_FAILED}). */
    public static long mmap(CallState state, long address, long length, int prot, int flags, int fd, long offset) {
        try {
            MemorySegment mapped = (MemorySegment) Libc.MMAP.invokeExact(
                state.segment(), MemorySegment.ofAddress(address), length, prot, flags, fd, offset);
            return mapped.address();
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** munmap(2). */
    public static int munmap(CallState state, MemorySegment mapping) {
        try {
            return (int) Libc.MUNMAP.invokeExact(state.segment(), mapping, mapping.byteSize());
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** mlock(2) over the whole segment. */
    public static int mlock(CallState state, MemorySegment memory) {
        try {
            return (int) Libc.MLOCK.invokeExact(state.segment(), memory, memory.byteSize());
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** munlock(2) over the whole segment. */
    public static int munlock(CallState state, MemorySegment memory) {
        try {
            return (int) Libc.MUNLOCK.invokeExact(state.segment(), memory, memory.byteSize());
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** mlockall(2) with {@code MCL_*} flags. */
    public static int mlockall(CallState state, int flags) {
        try {
            return (int) Libc.MLOCKALL.invokeExact(state.segment(), flags);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** madvise(2) over the whole segment. */
    public static int madvise(CallState state, MemorySegment memory, int advice) {
        try {
            return (int) Libc.MADVISE.invokeExact(state.segment(), memory, memory.byteSize(), advice);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** sched_getaffinity(2) into {@code mask}, a {@code cpu_set_t}; thread id 0 is the calling thread. */
    public static int schedGetaffinity(CallState state, int threadId, MemorySegment mask) {
        try {
            return (int) Libc.SCHED_GETAFFINITY.invokeExact(state.segment(), threadId, mask.byteSize(), mask);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** sched_setaffinity(2); thread id 0 is the calling thread; {@code mask} is a {@code cpu_set_t}. */
    public static int schedSetaffinity(CallState state, int threadId, MemorySegment mask) {
        try {
            return (int) Libc.SCHED_SETAFFINITY.invokeExact(state.segment(), threadId, mask.byteSize(), mask);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** gettid(2): the kernel's id of the calling thread; never fails. */
    public static int gettid(CallState state) {
        try {
            return (int) Libc.GETTID.invokeExact(state.segment());
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** getpid(2); never fails. */
    public static int getpid(CallState state) {
        try {
            return (int) Libc.GETPID.invokeExact(state.segment());
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** kill(2); signal 0 only checks that the process exists. */
    public static int kill(CallState state, int pid, int signal) {
        try {
            return (int) Libc.KILL.invokeExact(state.segment(), pid, signal);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** adjtimex(2) on a {@code timex} ({@link TimeLayouts#TIMEX}): the clock state, e.g. {@code TIME_OK}. */
    public static int adjtimex(CallState state, MemorySegment timex) {
        try {
            return (int) Libc.ADJTIMEX.invokeExact(state.segment(), timex);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** prctl(2) with four arguments (unused ones 0). */
    public static int prctl(CallState state, int option, long arg2, long arg3, long arg4, long arg5) {
        try {
            return (int) Libc.PRCTL.invokeExact(state.segment(), option, arg2, arg3, arg4, arg5);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** capget(2) of one thread ({@link CapabilityLayouts}). */
    public static int capget(CallState state, MemorySegment header, MemorySegment data) {
        try {
            return (int) Libc.CAPGET.invokeExact(state.segment(), header, data);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** capset(2) of the calling thread only. */
    public static int capset(CallState state, MemorySegment header, MemorySegment data) {
        try {
            return (int) Libc.CAPSET.invokeExact(state.segment(), header, data);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** glibc's setuid(3): applies to every thread of the process. */
    public static int setuid(CallState state, int uid) {
        try {
            return (int) Libc.SETUID.invokeExact(state.segment(), uid);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** glibc's setgid(3): applies to every thread of the process. */
    public static int setgid(CallState state, int gid) {
        try {
            return (int) Libc.SETGID.invokeExact(state.segment(), gid);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** glibc's setgroups(3) with {@code count} {@code gid_t}s: applies to every thread of the process. */
    public static int setgroups(CallState state, long count, MemorySegment groups) {
        try {
            return (int) Libc.SETGROUPS.invokeExact(state.segment(), count, groups);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** setns(2): moves the calling thread only into the namespace {@code fd} refers to. */
    public static int setns(CallState state, int fd, int namespaceType) {
        try {
            return (int) Libc.SETNS.invokeExact(state.segment(), fd, namespaceType);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** mount(2) of NUL-terminated {@code source} on {@code target} as {@code type}; {@code data} may be NULL. */
    public static int mount(
        CallState state, MemorySegment source, MemorySegment target, MemorySegment type, long flags, MemorySegment data) {
        try {
            return (int) Libc.MOUNT.invokeExact(state.segment(), source, target, type, flags, data);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** open(2) of a NUL-terminated path. */
    public static int open(CallState state, MemorySegment path, int flags, int mode) {
        try {
            return (int) Libc.OPEN.invokeExact(state.segment(), path, flags, mode);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** fallocate(2): reserves (or, by {@code mode}, punches or zeroes) {@code length} bytes from {@code offset}. */
    public static int fallocate(CallState state, int fd, int mode, long offset, long length) {
        try {
            return (int) Libc.FALLOCATE.invokeExact(state.segment(), fd, mode, offset, length);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** ftruncate(2). */
    public static int ftruncate(CallState state, int fd, long length) {
        try {
            return (int) Libc.FTRUNCATE.invokeExact(state.segment(), fd, length);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** sync_file_range(2). */
    public static int syncFileRange(CallState state, int fd, long offset, long length, int flags) {
        try {
            return (int) Libc.SYNC_FILE_RANGE.invokeExact(state.segment(), fd, offset, length, flags);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** posix_fadvise(3): returns 0 or the error number itself (it does not set errno). */
    public static int posixFadvise(CallState state, int fd, long offset, long length, int advice) {
        try {
            return (int) Libc.POSIX_FADVISE.invokeExact(state.segment(), fd, offset, length, advice);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** bpf(2) through syscall(SYS_bpf): {@code attr} is a {@code bpf_attr} ({@link BpfLayouts}). */
    public static long bpf(CallState state, int command, MemorySegment attr) {
        try {
            return (long) Libc.SYSCALL_BPF.invokeExact(
                state.segment(), Libc.SYS_BPF, (long) command, attr, attr.byteSize());
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static RuntimeException unexpected(Throwable t) {
        if (t instanceof RuntimeException runtime) {
            return runtime;
        }
        if (t instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(t);
    }
}
