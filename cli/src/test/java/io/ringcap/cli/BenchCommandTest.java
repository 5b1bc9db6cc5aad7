package io.ringcap.cli;

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
}
