package io.ringcap.linux;

import java.lang.foreign.Arena;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class LinuxExceptionTest {
    @Test
    void closingAnInvalidDescriptorReportsEbadf() {
        LinuxException e = catchThrowableOfType(LinuxException.class, () -> Sockets.close(-1));
        assertThat(e.errno()).isEqualTo(Errno.EBADF);
        assertThat(e.errnoName()).isEqualTo("EBADF");
        assertThat(e.call()).isEqualTo("close(-1)");
        assertThat(e.getMessage()).isEqualTo(
            "close(-1) failed: EBADF (Bad file descriptor) — the file descriptor is not open (already closed?)");
    }

    @Test
    void rawCallLeavesErrnoInTheCallersState() {
        try (Arena arena = Arena.ofConfined()) {
            CallState state = CallState.allocate(arena);
            assertThat(Syscalls.close(state, -1)).isEqualTo(-1);
            assertThat(state.errno()).isEqualTo(Errno.EBADF);
            assertThatThrownBy(() -> state.check(Syscalls.close(state, -1), "close"))
                .isInstanceOf(LinuxException.class)
                .hasMessageStartingWith("close failed: EBADF");
        }
    }

    @Test
    void messageNamesTheCapabilitiesForAnXdpPermissionFailure() {
        LinuxException e = LinuxException.of("setsockopt(SOL_XDP, XDP_UMEM_REG)", Errno.EPERM);
        assertThat(e.getMessage()).isEqualTo("setsockopt(SOL_XDP, XDP_UMEM_REG) failed: EPERM (Operation not "
            + "permitted) — run as root or grant CAP_NET_RAW,CAP_NET_ADMIN,CAP_BPF");
    }

    @Test
    void defaultHintsPointAtTheUsualCause() {
        assertThat(LinuxException.of("mlock(4096 bytes)", Errno.ENOMEM).hint()).contains("ulimit -l");
        assertThat(LinuxException.of("socket(AF_PACKET, SOCK_RAW)", Errno.EPERM).hint()).contains("CAP_NET_RAW");
        assertThat(LinuxException.of("socket(AF_XDP, SOCK_RAW)", Errno.EAFNOSUPPORT).hint())
            .contains("CONFIG_XDP_SOCKETS");
        assertThat(LinuxException.of("bpf(BPF_PROG_LOAD, x)", Errno.EACCES).hint()).contains("CAP_BPF");
        assertThat(LinuxException.of("ioctl(eth0, SIOCSHWTSTAMP)", Errno.EOPNOTSUPP).hint())
            .contains("no hardware timestamping");
        assertThat(LinuxException.of("mmap(2097152 bytes, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB)", Errno.ENOMEM)
            .hint()).contains("nr_hugepages");
    }

    @Test
    void callersHintReplacesTheDefault() {
        LinuxException e = LinuxException.of("bind(AF_XDP)", Errno.EBUSY, "stop the other capture on eth0 queue 3");
        assertThat(e.getMessage()).endsWith("EBUSY (Device or resource busy) — stop the other capture on eth0 queue 3");
    }

    @Test
    void failedCheckHasNoErrno() {
        LinuxException e = LinuxException.checkFailed("capability check", "1 thread(s) still hold capabilities", "");
        assertThat(e.errno()).isZero();
        assertThat(e.errnoName()).isEqualTo("none");
        assertThat(e.getMessage()).isEqualTo("capability check failed: 1 thread(s) still hold capabilities");
    }
}
