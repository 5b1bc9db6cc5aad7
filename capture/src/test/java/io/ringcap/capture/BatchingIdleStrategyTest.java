package io.ringcap.capture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchingIdleStrategyTest {
    @Test
    void aSlowFeedDoublesTheParkUpToTheMaximum() {
        BatchingIdleStrategy idle = new BatchingIdleStrategy(100, 1_000, 8_000);
        for (int wake = 0; wake < 6; wake++) {
            idle.idle(10);
            idle.idle(0);
        }
        assertThat(idle.parkNanos()).isEqualTo(8_000);
    }

    @Test
    void aFastFeedHalvesTheParkDownToTheMinimum() {
        BatchingIdleStrategy idle = new BatchingIdleStrategy(100, 1_000, 8_000);
        idle.idle(0);
        idle.idle(0);
        idle.idle(0);
        assertThat(idle.parkNanos()).isEqualTo(8_000);
        for (int wake = 0; wake < 5; wake++) {
            idle.idle(150);
            idle.idle(150);
            idle.idle(0);
        }
        assertThat(idle.parkNanos()).isEqualTo(1_000);
    }

    @Test
    void aBatchNearTheTargetKeepsThePark() {
        BatchingIdleStrategy idle = new BatchingIdleStrategy(100, 1_000, 8_000);
        idle.idle(0);
        assertThat(idle.parkNanos()).isEqualTo(2_000);
        idle.idle(60);
        idle.idle(60);
        idle.idle(0);
        assertThat(idle.parkNanos()).as("120 packets: between half and twice the target").isEqualTo(2_000);
    }

    @Test
    void resetGoesBackToTheShortestPark() {
        BatchingIdleStrategy idle = new BatchingIdleStrategy(100, 1_000, 8_000);
        idle.idle(0);
        idle.idle(0);
        idle.reset();
        assertThat(idle.parkNanos()).isEqualTo(1_000);
    }

    @Test
    void badSettingsAreRefusedWithTheValues() {
        assertThatThrownBy(() -> new BatchingIdleStrategy(0, 1, 2)).hasMessageContaining("got 0, 1, 2");
        assertThatThrownBy(() -> new BatchingIdleStrategy(1, 5, 2)).hasMessageContaining("got 1, 5, 2");
    }
}
