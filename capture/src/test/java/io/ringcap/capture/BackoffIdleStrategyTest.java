package io.ringcap.capture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffIdleStrategyTest {
    @Test
    void spinsThenYieldsThenParksLongerUpToTheMaximum() {
        BackoffIdleStrategy idle = new BackoffIdleStrategy(3, 2, 1_000, 8_000);

        for (int i = 0; i < 5; i++) {
            assertThat(idle.nextParkNanos()).isEqualTo(1_000);
            idle.idle(0);
        }
        assertThat(idle.idlePolls()).isEqualTo(5);
        long[] parks = new long[5];
        for (int i = 0; i < parks.length; i++) {
            parks[i] = idle.nextParkNanos();
            idle.idle(0);
        }

        assertThat(parks).containsExactly(1_000, 2_000, 4_000, 8_000, 8_000);
    }

    @Test
    void workStartsTheBackOffOver() {
        BackoffIdleStrategy idle = new BackoffIdleStrategy(1, 1, 1_000, 1_000_000);
        for (int i = 0; i < 6; i++) {
            idle.idle(0);
        }
        assertThat(idle.nextParkNanos()).isGreaterThan(1_000);

        idle.idle(3);

        assertThat(idle.idlePolls()).isZero();
        assertThat(idle.nextParkNanos()).isEqualTo(1_000);
    }

    @Test
    void parkingWaitsAtLeastTheParkTime() {
        BackoffIdleStrategy idle = new BackoffIdleStrategy(0, 0, 2_000_000, 2_000_000);
        long start = System.nanoTime();

        idle.idle(0);

        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(1_000_000);
    }

    @Test
    void nonsenseSettingsAreRefused() {
        assertThatThrownBy(() -> new BackoffIdleStrategy(1, 1, 10, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BackoffIdleStrategy(-1, 1, 1, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesGiveTheThreeStrategies() {
        assertThat(IdleStrategy.named("busy", 4096)).isInstanceOf(BusySpinIdleStrategy.class);
        assertThat(IdleStrategy.named("yield", 4096)).isInstanceOf(YieldingIdleStrategy.class);
        assertThat(IdleStrategy.named("park", 4096)).isInstanceOf(BatchingIdleStrategy.class);
        assertThatThrownBy(() -> IdleStrategy.named("sleep", 4096))
            .hasMessage("idle strategy 'sleep' is not one of busy, yield, park");
    }
}
