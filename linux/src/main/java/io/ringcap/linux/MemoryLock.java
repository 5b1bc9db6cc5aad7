package io.ringcap.linux;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Keeping the memory the hot path touches resident: mlock and pre-faulting. ringcap locks the
 * ring, UMEM and NIC rings rather than {@link #lockAll mlockall}'ing the whole JVM.
 */
public final class MemoryLock {
    public static final int MCL_CURRENT = 1;
    public static final int MCL_FUTURE = 2;
    public static final int MCL_ONFAULT = 4;

    /** The smallest page; huge pages are multiples of it, so touching every 4 KiB touches them all. */
    private static final long PAGE_SIZE = 4096;
    private static final VarHandle BYTE = JAVA_BYTE.varHandle();

    private MemoryLock() {
    }

    /** mlock(2): keeps the segment's pages in RAM. */
    public static void lock(MemorySegment memory) {
        CallState state = CallState.ofCurrentThread();
        if (Syscalls.mlock(state, memory) < 0) {
            throw LinuxException.of("mlock(" + memory.byteSize() + " bytes)", state.errno());
        }
    }

    /** munlock(2). */
    public static void unlock(MemorySegment memory) {
        CallState state = CallState.ofCurrentThread();
        if (Syscalls.munlock(state, memory) < 0) {
            throw LinuxException.of("munlock(" + memory.byteSize() + " bytes)", state.errno());
        }
    }

    /** mlockall(2) with {@code MCL_*} flags; prefer {@link #lockAndPrefault} on what the hot path uses. */
    public static void lockAll(int flags) {
        CallState state = CallState.ofCurrentThread();
        if (Syscalls.mlockall(state, flags) < 0) {
            throw LinuxException.of("mlockall(" + flags + ")", state.errno());
        }
    }

    /**
     * Locks the segment and writes to every page of it, leaving its contents unchanged, so that
     * the hot path never takes a page fault there. mlock alone faults pages in, but a shared
     * mapping's pages come in read-only for dirty tracking and would still fault on the first
     * write; writing each page now takes that fault at start-up instead.
     */
    public static void lockAndPrefault(MemorySegment memory) {
        lock(memory);
        long size = memory.byteSize();
        for (long offset = 0; offset < size; offset += PAGE_SIZE) {
            touch(memory, offset);
        }
        if (size > 0) {
            touch(memory, size - 1); // the last page, when the segment does not start on a page boundary
        }
    }

    private static void touch(MemorySegment memory, long offset) {
        // Opaque access: a plain read followed by a store of the same value could be elided.
        BYTE.setOpaque(memory, offset, (byte) BYTE.getOpaque(memory, offset));
    }
}
