package io.ringcap.linux;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CapabilitiesTest {
    @Test
    void everyThreadIsListedWithItsCapabilities() {
        List<ThreadCapabilities> threads = Capabilities.ofAllThreads();
        assertThat(threads).extracting(ThreadCapabilities::threadId).contains(Processes.currentThreadId());
        ThreadCapabilities self = threads.stream()
            .filter(thread -> thread.threadId() == Processes.currentThreadId())
            .findFirst()
            .orElseThrow();
        CapabilitySets sets = Capabilities.ofCurrentThread();
        assertThat(self.effective()).isEqualTo(sets.effective());
        assertThat(self.permitted()).isEqualTo(sets.permitted());
    }

    @Test
    void droppingToRootIsRefused() {
        assertThatThrownBy(() -> Capabilities.dropAll(0, 0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("uid other than 0");
    }

    @Test
    void dropAllLeavesNoThreadOfTheJvmWithACapability() throws Exception {
        assumeTrue(Capabilities.ofCurrentThread().hasEffective(CapabilityLayouts.CAP_SETUID),
            "needs root: switching to uid 65534 needs CAP_SETUID");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(
            java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
            CapabilityDropChild.class.getName())
            .redirectErrorStream(true)
            .start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(child.exitValue()).as(output).isZero();
        List<String> capabilityLines = output.lines().filter(line -> line.contains("Cap")).toList();
        assertThat(capabilityLines).hasSizeGreaterThan(10).allMatch(line -> line.endsWith("0000000000000000"));
    }
}
