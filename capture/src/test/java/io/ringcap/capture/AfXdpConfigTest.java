package io.ringcap.capture;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AfXdpConfigTest {
    @Test
    void automaticFramesShareOutTheUmemBudgetAmongTheQueuesButNeverFallBelowTheMinimum() {
        AfXdpConfig config = AfXdpConfig.DEFAULT;
        assertThat(config.frames()).isEqualTo(AfXdpConfig.AUTO_FRAMES);
        assertThat(config.framesPerQueue(1)).isEqualTo(262_144);
        assertThat(config.framesPerQueue(2)).isEqualTo(131_072);
        assertThat(config.framesPerQueue(3)).as("rounded down to a power of two").isEqualTo(65_536);
        assertThat(config.framesPerQueue(16)).isEqualTo(AfXdpConfig.MIN_AUTO_FRAMES);

        AfXdpConfig fourKib = new AfXdpConfig(XdpMode.AUTO, List.of(), AfXdpConfig.AUTO_FRAMES, 4096, true, null);
        assertThat(fourKib.framesPerQueue(1)).as("the budget is bytes").isEqualTo(131_072);
    }

    @Test
    void framesGivenAreKeptAsGiven() {
        AfXdpConfig config = new AfXdpConfig(XdpMode.AUTO, List.of(), 4096, 2048, true, null);
        assertThat(config.framesPerQueue(1)).isEqualTo(4096);
        assertThat(config.framesPerQueue(8)).isEqualTo(4096);
    }

    @Test
    void framesThatAreNoPowerOfTwoOrTooFewAreRefused() {
        for (int frames : new int[] {100, 32, -1}) {
            assertThatThrownBy(() -> new AfXdpConfig(XdpMode.AUTO, List.of(), frames, 2048, true, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("UMEM frames must be a power of two of at least 64, got " + frames);
        }
    }
}
