package io.ringcap.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CpuAffinityTest {
    @Test
    void pinnedThreadMayRunOnlyOnThatCpu() throws Exception {
        AtomicReference<String> allowed = new AtomicReference<>();
        AtomicReference<String> otherThreadAllowed = new AtomicReference<>();
        String before = cpusAllowed();
        Thread pinned = Thread.ofPlatform().start(() -> {
            CpuAffinity.pinCurrentThread(0);
            allowed.set(cpusAllowed());
        });
        pinned.join();
        otherThreadAllowed.set(cpusAllowed());

        assertThat(allowed.get()).isEqualTo("0");
        assertThat(otherThreadAllowed.get()).isEqualTo(before);
    }

    @Test
    void allowedCpusAreTheThreadsAffinityAsTheKernelListsIt() throws Exception {
        int last = Runtime.getRuntime().availableProcessors() - 1;
        AtomicReference<BitSet> pinnedAllowed = new AtomicReference<>();
        Thread pinned = Thread.ofPlatform().start(() -> {
            CpuAffinity.pinCurrentThread(last);
            pinnedAllowed.set(CpuAffinity.allowedCpus());
        });
        pinned.join();

        assertThat(pinnedAllowed.get().stream().boxed().toList()).containsExactly(last);
        assertThat(CpuAffinity.allowedCpus().cardinality()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(CpuAffinity.allowedCpus().toString().replaceAll("[{} ]", ""))
            .as("/proc/thread-self/status, ranges spelled out").isEqualTo(expand(cpusAllowed()));
    }

    @Test
    void cpuThatDoesNotExistIsEinvalWithAHint() {
        int missing = Runtime.getRuntime().availableProcessors() + 1000;
        // Fails before changing anything, so the test thread itself can try.
        assertThatThrownBy(() -> CpuAffinity.pinCurrentThread(missing))
            .isInstanceOf(LinuxException.class)
            .hasMessageContaining("sched_setaffinity(cpu " + missing + ") failed: EINVAL")
            .hasMessageContaining("cpuset");
    }

    /** "0-2,5" as "0,1,2,5". */
    private static String expand(String list) {
        StringBuilder cpus = new StringBuilder();
        for (String range : list.split(",")) {
            String[] ends = range.split("-");
            for (int cpu = Integer.parseInt(ends[0]); cpu <= Integer.parseInt(ends[ends.length - 1]); cpu++) {
                cpus.append(cpus.isEmpty() ? "" : ",").append(cpu);
            }
        }
        return cpus.toString();
    }

    private static String cpusAllowed() {
        try {
            return Files.readAllLines(Path.of("/proc/thread-self/status")).stream()
                .filter(line -> line.startsWith("Cpus_allowed_list:"))
                .map(line -> line.substring("Cpus_allowed_list:".length()).strip())
                .findFirst()
                .orElseThrow();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
