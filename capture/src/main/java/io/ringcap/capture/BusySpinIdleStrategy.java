package io.ringcap.capture;

/**
 * Spins with {@link Thread#onSpinWait()} (the x86 PAUSE instruction): lowest latency, one core at 100%,
 * and no system call, which is what lets the afpacket capture thread run without any.
 */
public final class BusySpinIdleStrategy implements IdleStrategy {
    @Override
    public void idle(int workCount) {
        if (workCount <= 0) {
            Thread.onSpinWait();
        }
    }

    @Override
    public void reset() {
    }
}
