package io.ringcap.linux;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class MemoryLockTest {
    private static final long MIB = 1 << 20;

    @Test
    void anonymousMappingIsZeroedWritableAndUnmappable() {
        MemorySegment memory = VirtualMemory.mapAnonymous(MIB, false);
        try {
            assertThat(memory.byteSize()).isEqualTo(MIB);
            assertThat(memory.address() % 4096).isZero();
            assertThat(memory.get(JAVA_LONG, MIB - 8)).isZero();
            memory.set(JAVA_LONG, MIB - 8, 42);
            assertThat(memory.get(JAVA_LONG, MIB - 8)).isEqualTo(42);
            VirtualMemory.advise(memory, VirtualMemory.MADV_HUGEPAGE);
        } finally {
            VirtualMemory.unmap(memory);
        }
    }

    @Test
    void lockAndPrefaultKeepsContentsAndLocksEveryPage() {
        MemorySegment memory = VirtualMemory.mapAnonymous(MIB, false);
        try {
            memory.set(JAVA_LONG, 4096, 0x1234_5678_9abc_def0L);
            long lockedBefore = lockedKibibytes();

            MemoryLock.lockAndPrefault(memory);

            assertThat(lockedKibibytes() - lockedBefore).isGreaterThanOrEqualTo(MIB / 1024);
            assertThat(memory.get(JAVA_LONG, 4096)).isEqualTo(0x1234_5678_9abc_def0L);
            MemoryLock.unlock(memory);
            assertThat(lockedKibibytes()).isEqualTo(lockedBefore);
        } finally {
            VirtualMemory.unmap(memory);
        }
    }

    @Test
    void impossibleMappingNamesTheFlagsItAskedFor() {
        LinuxException e = catchThrowableOfType(LinuxException.class,
            () -> VirtualMemory.map(MIB, VirtualMemory.PROT_READ, VirtualMemory.MAP_SHARED, -1, 0));
        assertThat(e.call()).isEqualTo("mmap(1048576 bytes, MAP_SHARED)");
        assertThat(e.errno()).isEqualTo(Errno.EBADF);
    }

    private static long lockedKibibytes() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("VmLck:"))
                .map(line -> line.replaceAll("[^0-9]", ""))
                .mapToLong(Long::parseLong)
                .findFirst()
                .orElseThrow();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
