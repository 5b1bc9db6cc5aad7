package io.ringcap.linux;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import org.junit.jupiter.api.Test;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;

class ErrnoTest {
    @Test
    void tableAgreesWithGlibcForEveryErrno() throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle strerrorname = linker.downcallHandle(
            linker.defaultLookup().find("strerrorname_np").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, JAVA_INT));
        for (int errno = 1; errno < 134; errno++) {
            MemorySegment name = (MemorySegment) strerrorname.invokeExact(errno);
            String expected = name.equals(MemorySegment.NULL)
                ? "errno " + errno
                : name.reinterpret(64).getString(0);
            assertThat(Errno.name(errno)).as("errno %d", errno).isEqualTo(expected);
        }
    }

    @Test
    void commonErrnosHaveTheirX8664Numbers() {
        assertThat(Errno.EPERM).isEqualTo(1);
        assertThat(Errno.EAGAIN).isEqualTo(11);
        assertThat(Errno.ENODEV).isEqualTo(19);
        assertThat(Errno.EOPNOTSUPP).isEqualTo(95);
        assertThat(Errno.EAFNOSUPPORT).isEqualTo(97);
        assertThat(Errno.EADDRINUSE).isEqualTo(98);
        assertThat(Errno.ENOBUFS).isEqualTo(105);
        assertThat(Errno.description(Errno.EACCES)).isEqualTo("Permission denied");
    }

    @Test
    void kernelInternalAndUnknownNumbersStillHaveNames() {
        assertThat(Errno.name(524)).isEqualTo("ENOTSUPP");
        assertThat(Errno.name(4242)).isEqualTo("errno 4242");
        assertThat(Errno.description(4242)).isEqualTo("Unknown error 4242");
    }
}
