package io.ringcap.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.BitSet;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** Binding threads to CPUs, for the capture thread's isolated core. */
public final class CpuAffinity {
    /** Bytes of glibc's {@code cpu_set_t} (1024 CPUs); larger sets grow in 8-byte words. */
    private static final int MIN_CPU_SET_BYTES = 128;

    private CpuAffinity() {
    }

    /**
     * The CPUs the calling thread may run on (sched_getaffinity): what taskset, cpusets or a container left it,
     * which need not be 0 to {@code availableProcessors() - 1} (e.g. {@code taskset -c 2,3}).
     */
    public static BitSet allowedCpus() {
        CallState state = CallState.ofCurrentThread();
        try (Arena arena = Arena.ofConfined()) {
            for (int bytes = MIN_CPU_SET_BYTES; ; bytes *= 2) {
                MemorySegment mask = arena.allocate(bytes, Long.BYTES);
                if (Syscalls.schedGetaffinity(state, 0, mask) >= 0) {
                    return BitSet.valueOf(mask.toArray(JAVA_LONG));
                }
                // EINVAL: the kernel's CPU mask is larger than this set.
                if (state.errno() != Errno.EINVAL || bytes >= 1 << 20) {
                    throw LinuxException.of("sched_getaffinity", state.errno());
                }
            }
        }
    }

    /**
     * Pins the calling thread, and only it, to {@code cpu} (sched_setaffinity on thread id 0).
     * Call it from the platform thread that will run the loop; a virtual thread would pin its
     * carrier instead.
     */
    public static void pinCurrentThread(int cpu) {
        if (cpu < 0) {
            throw new IllegalArgumentException("CPU numbers start at 0, got " + cpu);
        }
        int bytes = Math.max(MIN_CPU_SET_BYTES, (cpu / Long.SIZE + 1) * Long.BYTES);
        CallState state = CallState.ofCurrentThread();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(bytes, Long.BYTES);
            long word = (long) (cpu / Long.SIZE) * Long.BYTES;
            mask.set(JAVA_LONG, word, 1L << (cpu % Long.SIZE));
            if (Syscalls.schedSetaffinity(state, 0, mask) < 0) {
                throw LinuxException.of("sched_setaffinity(cpu " + cpu + ")", state.errno());
            }
        }
    }
}
