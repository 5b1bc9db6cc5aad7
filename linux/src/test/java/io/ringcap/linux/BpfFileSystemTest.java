package io.ringcap.linux;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BpfFileSystemTest {
    /** /proc/self/mounts of a host with bpffs at the usual place, a second one, and look-alikes. */
    private static final List<String> MOUNTS = List.of(
        "sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0",
        "bpf /sys/fs/bpf bpf rw,nosuid,nodev,noexec,relatime,mode=700 0 0",
        "none /mnt/second bpf rw,relatime 0 0",
        "bpf /run/not-bpf tmpfs rw,relatime 0 0",
        "tmpfs /sys/fs/bpf/ringcap tmpfs rw 0 0",
        "bpf /mnt/pins\\040of\\011ringcap bpf rw,relatime 0 0");

    @Test
    void bpfMountedExactlyAtTheDirectoryIsFound() {
        assertThat(BpfFileSystem.isMountedIn(MOUNTS, "/sys/fs/bpf")).isTrue();
        assertThat(BpfFileSystem.isMountedIn(MOUNTS, "/mnt/second")).as("any source name").isTrue();
    }

    @Test
    void otherFileSystemTypesAndSubdirectoriesAreNotBpfMounts() {
        assertThat(BpfFileSystem.isMountedIn(MOUNTS, "/run/not-bpf")).as("source 'bpf', type tmpfs").isFalse();
        assertThat(BpfFileSystem.isMountedIn(MOUNTS, "/sys/fs/bpf/ringcap")).as("tmpfs below a bpffs").isFalse();
        assertThat(BpfFileSystem.isMountedIn(MOUNTS, "/sys/fs")).isFalse();
        assertThat(BpfFileSystem.isMountedIn(MOUNTS, "/sys")).isFalse();
        assertThat(BpfFileSystem.isMountedIn(MOUNTS, "/sys/fs/bpf/")).as("callers pass normalized paths").isFalse();
    }

    @Test
    void mountPointWithEscapedSpaceAndTabIsDecoded() {
        assertThat(BpfFileSystem.isMountedIn(MOUNTS, "/mnt/pins of\tringcap")).isTrue();
        assertThat(BpfFileSystem.isMountedIn(MOUNTS, "/mnt/pins\\040of\\011ringcap")).isFalse();
    }

    @Test
    void emptyOrShortLinesMatchNothing() {
        assertThat(BpfFileSystem.isMountedIn(List.of(), "/sys/fs/bpf")).isFalse();
        assertThat(BpfFileSystem.isMountedIn(List.of("", "bpf /sys/fs/bpf", "bpf"), "/sys/fs/bpf")).isFalse();
    }

    @Test
    void isMountedNormalizesThePathAndAgreesWithProcMounts() throws Exception {
        boolean listed = Files.readAllLines(Path.of("/proc/self/mounts")).stream()
            .anyMatch(line -> line.matches("\\S+ /sys/fs/bpf bpf .*"));
        assertThat(BpfFileSystem.isMounted(Path.of("/sys/fs/bpf/../bpf/"))).isEqualTo(listed);
    }
}
