package io.ringcap.ring;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the ring's jcstress tests ({@link RingPublicationOrdering}, {@link RingOverwriteOrdering}) in jcstress's
 * own JVMs, in its quick mode, and fails if any outcome jcstress saw is forbidden or a test errs. jcstress runs
 * each actor pair ~140,000 times under each of 14 JIT settings, so it finds reorderings that the compiler may
 * make of the writer's and reader's accesses; on x86-64 the hardware itself reorders only stores after loads,
 * which the protocol does not rely on. The full report is left in target/jcstress (docs/ring-format.md).
 */
class RingOrderingJcstressTest {
    private static final Path REPORT = Path.of("target", "jcstress");
    private static final String PUBLICATION = RingPublicationOrdering.class.getName();
    private static final String OVERWRITE = RingOverwriteOrdering.class.getName();
    /** jcstress's progress and final line: "(Results: 28 planned; 28 passed, 0 failed, 0 soft errs, 0 hard errs)". */
    private static final Pattern SUMMARY = Pattern.compile(
        "\\(Results: (\\d+) planned; (\\d+) passed, (\\d+) failed, (\\d+) soft errs, (\\d+) hard errs\\)");

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void noForbiddenOutcomeInPublicationOrOverwrite() throws IOException, InterruptedException {
        Files.createDirectories(REPORT);
        Path log = REPORT.resolve("jcstress.log");
        List<String> command = List.of(ProcessHandle.current().info().command().orElseThrow(),
            "-cp", System.getProperty("java.class.path"), "org.openjdk.jcstress.Main",
            "-t", Pattern.quote(PUBLICATION) + "|" + Pattern.quote(OVERWRITE), "-m", "quick",
            "-r", REPORT.resolve("results").toAbsolutePath().toString());
        // jcstress leaves its result blob in its working directory: keep it under target/ too.
        Process jcstress = new ProcessBuilder(command).directory(REPORT.toFile()).redirectErrorStream(true)
            .redirectOutput(log.toFile()).start();
        boolean finished = jcstress.waitFor(14, TimeUnit.MINUTES);
        if (!finished) {
            jcstress.destroyForcibly();
        }
        String output = Files.readString(log);
        assertThat(finished).as("jcstress finished in 14 minutes; its output:%n%s", output).isTrue();
        assertThat(jcstress.exitValue()).as("jcstress exit code; its output:%n%s", output).isZero();
        Matcher summary = SUMMARY.matcher(output);
        MatchResult last = null;
        while (summary.find()) {
            last = summary.toMatchResult();
        }
        assertThat(last).as("jcstress's summary line; its output:%n%s", output).isNotNull();
        // Each test runs under several compilation modes and JVM options: at least one run of each.
        assertThat(Integer.parseInt(last.group(1))).as("test runs planned").isGreaterThanOrEqualTo(2);
        assertThat(last.group(2)).as("test runs passed, of %s planned: %s", last.group(1), last.group())
            .isEqualTo(last.group(1));
        assertThat(Files.readString(REPORT.resolve("results").resolve(PUBLICATION + ".html"))).contains("OK");
        assertThat(Files.readString(REPORT.resolve("results").resolve(OVERWRITE + ".html"))).contains("OK");
    }
}
