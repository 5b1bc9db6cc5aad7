package io.ringcap.capture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ReceiveLoopWarmUpTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"afxdp", "afpacket"})
    void theLoopMovesEveryPacketItIsGivenAndLeavesNoScratchRingBehind(String source) throws IOException {
        long start = System.nanoTime();
        long moved = source.equals("afxdp") ? ReceiveLoopWarmUp.afxdp() : ReceiveLoopWarmUp.afpacket();
        System.out.printf("%s warm-up: %d packets in %.0f ms%n", source, moved, (System.nanoTime() - start) / 1e6);

        assertThat(moved).isEqualTo((long) ReceiveLoopWarmUp.POLLS * ReceiveLoopWarmUp.PACKETS_PER_POLL);
        Path shm = Path.of("/dev/shm");
        Path directory = Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(path -> path.getFileName().toString()))
                .noneMatch(name -> name.startsWith("ringcap-warm-up-" + ProcessHandle.current().pid() + "-"));
        }
    }

    @Test
    void aProcessWarmsEachLoopUpOnce() {
        ReceiveLoopWarmUp.afxdpOnce();
        ReceiveLoopWarmUp.afpacketOnce();
        assertThat(ReceiveLoopWarmUp.afxdpOnce()).as("afxdp again").isFalse();
        assertThat(ReceiveLoopWarmUp.afpacketOnce()).as("afpacket again").isFalse();
    }
}
