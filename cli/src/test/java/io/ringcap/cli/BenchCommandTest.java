package io.ringcap.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class BenchCommandTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0    | --forks must be 1 to 10, not 0",
        "11   | --forks must be 1 to 10, not 11",
        "-3   | --forks must be 1 to 10, not -3",
        "many | Invalid value for option '--forks': 'many' is not an int"})
    void aForkCountOutsideOneToTenIsBadUsageBeforeAnythingRuns(String forks, String message) {
        CommandResult result = CommandResult.execute("bench", "ring", "--forks", forks);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("ringcap: " + message);
        assertThat(result.out()).isEmpty();
    }

    @Test
    void aDirectoryThatIsNotOneIsBadUsageBeforeAnythingRuns(@TempDir Path temporary) throws IOException {
        Path file = Files.createFile(temporary.resolve("not-a-directory"));

        for (Path directory : new Path[] {temporary.resolve("missing"), file}) {
            CommandResult result = CommandResult.execute("bench", "ring", "--dir", directory.toString());

            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.err()).startsWith("ringcap: --dir " + directory + " is not a writable directory");
            assertThat(result.out()).isEmpty();
        }
    }
}
