package io.ringcap.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class RingcapTest {
    @TempDir
    Path directory;

    @Test
    void versionNamesTheBuildAndTheJvm() {
        CommandResult result = CommandResult.execute("--version");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("ringcap 0.").contains("Java " + Runtime.version().feature());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ring", "ring create", "ring tail", "status", "help"})
    void everyCommandHasHelp(String command) {
        String[] args = (command + " --help").trim().split(" ");

        CommandResult result = CommandResult.execute(args);

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Usage: ringcap");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void unknownCommandIsAUsageErrorThatListsTheCommands() {
        CommandResult result = CommandResult.execute("stauts", "x.ring");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err())
            .startsWith("ringcap: unknown command 'stauts': the commands of 'ringcap' are demo, capture, record, extract, status, ring, top, doctor, generate, filter, bench, help")
            .contains("Try 'ringcap --help' for more information.");
    }

    @Test
    void missingCommandIsAUsageError() {
        assertThat(CommandResult.execute().exitCode()).isEqualTo(2);
        CommandResult ring = CommandResult.execute("ring");

        assertThat(ring.exitCode()).isEqualTo(2);
        assertThat(ring.err()).startsWith("ringcap: missing command: one of [create, tail]");
    }

    @Test
    void unknownOptionIsAUsageError() {
        CommandResult result = CommandResult.execute("status", "--jsn", "x.ring");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Unknown option: '--jsn'").contains("Try 'ringcap status --help'");
    }

    @Test
    void runtimeFailureIsOneLineWithoutStackTrace() {
        CommandResult result = CommandResult.execute("status", directory.resolve("missing.ring").toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("ringcap: no ring at ").hasLineCount(1).doesNotContain("\tat ");
    }

    @Test
    void debugOptionAddsTheStackTraceAnywhereOnTheLine() {
        CommandResult result = CommandResult.execute("status", "--debug", directory.resolve("missing.ring").toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("ringcap: no ring at ").contains("RingException").contains("\tat ");
    }
}
