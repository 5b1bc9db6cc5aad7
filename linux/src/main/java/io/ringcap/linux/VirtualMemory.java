package io.ringcap.linux;

import java.lang.foreign.MemorySegment;

/**
 * Memory mappings: mmap, munmap and madvise, with their flags (from {@code <asm-generic/mman*.h>}).
 * Mappings come back as segments of the mapped length in the global scope: unmap them
 * explicitly, and only once.
 */
public final class VirtualMemory {
    public static final int PROT_NONE = 0;
    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;

    public static final int MAP_SHARED = 0x1;
    public static final int MAP_PRIVATE = 0x2;
    public static final int MAP_SHARED_VALIDATE = 0x3;
    public static final int MAP_FIXED = 0x10;
    public static final int MAP_ANONYMOUS = 0x20;
    /** Lock the pages like mlock, counted against RLIMIT_MEMLOCK. */
    public static final int MAP_LOCKED = 0x2000;
    public static final int MAP_NORESERVE = 0x4000;
    /** Fault in the whole mapping now (read faults for shared file mappings). */
    public static final int MAP_POPULATE = 0x8000;
    /** Back with huge pages from the pool in /proc/sys/vm/nr_hugepages. */
    public static final int MAP_HUGETLB = 0x40000;
    /** Shift of log2(huge page size) in the flags, with MAP_HUGETLB: {@code 21 << MAP_HUGE_SHIFT} is 2 MiB. */
    public static final int MAP_HUGE_SHIFT = 26;

    public static final int MADV_NORMAL = 0;
    public static final int MADV_RANDOM = 1;
    public static final int MADV_SEQUENTIAL = 2;
    public static final int MADV_WILLNEED = 3;
    public static final int MADV_DONTNEED = 4;
    public static final int MADV_DONTFORK = 10;
    public static final int MADV_HUGEPAGE = 14;
    public static final int MADV_NOHUGEPAGE = 15;
    /** Fault in pages for writing without changing their contents (Linux 5.14+). */
    public static final int MADV_POPULATE_WRITE = 23;

    private static final long MAP_FAILED = -1;

    private VirtualMemory() {
    }

    /** mmap(2) at an address of the kernel's choice. */
    public static MemorySegment map(long length, int prot, int flags, int fd, long offset) {
        CallState state = CallState.ofCurrentThread();
        long address = Syscalls.mmap(state, 0, length, prot, flags, fd, offset);
        if (address == MAP_FAILED) {
            throw LinuxException.of("mmap(" + length + " bytes, " + describeFlags(flags) + ")", state.errno());
        }
        return MemorySegment.ofAddress(address).reinterpret(length);
    }

    /** Private zero-filled read-write memory, from the huge page pool if {@code hugePages}. */
    public static MemorySegment mapAnonymous(long length, boolean hugePages) {
        int flags = MAP_PRIVATE | MAP_ANONYMOUS | (hugePages ? MAP_HUGETLB : 0);
        return map(length, PROT_READ | PROT_WRITE, flags, -1, 0);
    }

    /** munmap(2) of a whole mapping. */
    public static void unmap(MemorySegment mapping) {
        CallState state = CallState.ofCurrentThread();
        if (Syscalls.munmap(state, mapping) < 0) {
            throw LinuxException.of("munmap(" + mapping.byteSize() + " bytes)", state.errno());
        }
    }

    /** madvise(2) over the whole segment, which must start on a page boundary. */
    public static void advise(MemorySegment memory, int advice) {
        CallState state = CallState.ofCurrentThread();
        if (Syscalls.madvise(state, memory, advice) < 0) {
            throw LinuxException.of("madvise(" + memory.byteSize() + " bytes, advice " + advice + ")", state.errno());
        }
    }

    private static String describeFlags(int flags) {
        StringBuilder text = new StringBuilder((flags & MAP_SHARED) != 0 ? "MAP_SHARED" : "MAP_PRIVATE");
        if ((flags & MAP_ANONYMOUS) != 0) {
            text.append("|MAP_ANONYMOUS");
        }
        if ((flags & MAP_HUGETLB) != 0) {
            text.append("|MAP_HUGETLB");
        }
        if ((flags & MAP_LOCKED) != 0) {
            text.append("|MAP_LOCKED");
        }
        if ((flags & MAP_POPULATE) != 0) {
            text.append("|MAP_POPULATE");
        }
        return text.toString();
    }
}
