package io.ringcap.capture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class XskWarmUpTest {
    @Test
    void runsTheReceiveLoopForTheTimeAskedAndLeavesNoScratchRingBehind() throws IOException {
        XskWarmUp.Result result = XskWarmUp.run(Duration.ofMillis(300));

        assertThat(result.frames()).isPositive();
        assertThat(result.took()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        for (Path directory : new Path[] {Path.of("/dev/shm"), Path.of(System.getProperty("java.io.tmpdir"))}) {
            if (Files.isDirectory(directory)) {
                try (Stream<Path> files = Files.list(directory)) {
                    assertThat(files.map(path -> path.getFileName().toString()))
                        .noneMatch(name -> name.startsWith("ringcap-warm-up-" + ProcessHandle.current().pid() + "-"));
                }
            }
        }
    }

    @Test
    void aConfigurationRefusesANegativeWarmUp() {
        assertThat(AfXdpConfig.DEFAULT.warmUp()).isEqualTo(XskWarmUp.DEFAULT_DURATION);
        assertThat(AfXdpConfig.DEFAULT.withWarmUp(Duration.ZERO).warmUp()).isZero();
        assertThatThrownBy(() -> AfXdpConfig.DEFAULT.withWarmUp(Duration.ofMillis(-1)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("warm-up");
    }
}
