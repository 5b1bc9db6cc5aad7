package io.ringcap.capture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ReceiveLoopWarmUpTest {
    @Test
    void theAfxdpLoopMovesEveryPacketItIsGivenAndLeavesNoScratchRingBehind() throws IOException {
        long start = System.nanoTime();
        long moved = ReceiveLoopWarmUp.afxdp();
        System.out.printf("afxdp warm-up: %d packets in %.0f ms%n", moved, (System.nanoTime() - start) / 1e6);

        assertThat(moved).isEqualTo((long) ReceiveLoopWarmUp.POLLS * ReceiveLoopWarmUp.PACKETS_PER_POLL);
        assertNoScratchRingLeft();
    }

    @Test
    void theAfpacketLoopMovesEveryPacketItIsGivenAndLeavesNoScratchRingBehind() throws IOException {
        long start = System.nanoTime();
        long moved = ReceiveLoopWarmUp.afpacket();
        System.out.printf("afpacket warm-up: %d packets in %.0f ms%n", moved, (System.nanoTime() - start) / 1e6);

        assertThat(moved).isEqualTo((long) ReceiveLoopWarmUp.POLLS * ReceiveLoopWarmUp.PACKETS_PER_POLL);
        assertNoScratchRingLeft();
    }

    private static void assertNoScratchRingLeft() throws IOException {
        Path shm = Path.of("/dev/shm");
        Path directory = Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(path -> path.getFileName().toString()))
                .noneMatch(name -> name.startsWith("ringcap-warm-up-" + ProcessHandle.current().pid() + "-"));
        }
    }
}
