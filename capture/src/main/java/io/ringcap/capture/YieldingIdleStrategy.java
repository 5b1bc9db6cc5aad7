package io.ringcap.capture;

/** Yields the core (sched_yield) after an empty poll: lets other threads of the core run, at a system call each. */
public final class YieldingIdleStrategy implements IdleStrategy {
    @Override
    public void idle(int workCount) {
        if (workCount <= 0) {
            Thread.yield();
        }
    }

    @Override
    public void reset() {
    }
}
