package io.ringcap.linux;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessesTest {
    @Test
    void currentPidIsTheJvmsPid() {
        assertThat((long) Processes.currentPid()).isEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void threadIdsDifferBetweenThreads() throws InterruptedException {
        int[] other = new int[1];
        Thread thread = Thread.ofPlatform().start(() -> other[0] = Processes.currentThreadId());
        thread.join();
        assertThat(other[0]).isPositive().isNotEqualTo(Processes.currentThreadId());
    }

    @Test
    void exitedProcessIsNotAliveAndThisOneIs() throws Exception {
        Process child = new ProcessBuilder("true").start();
        int pid = (int) child.pid();
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();

        assertThat(Processes.isAlive(pid)).isFalse();
        assertThat(Processes.isAlive(Processes.currentPid())).isTrue();
    }
}
