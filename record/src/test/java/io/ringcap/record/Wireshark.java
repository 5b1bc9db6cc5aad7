package io.ringcap.record;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs Wireshark's command-line tools on files, for tests that skip when they are not installed. */
final class Wireshark {
    /** What a tool printed and how it exited. */
    record Run(int exitCode, String out, String err) {
    }

    private Wireshark() {
    }

    static boolean installed() {
        return Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(":"))
            .anyMatch(d -> Files.isExecutable(Path.of(d, "tshark")) && Files.isExecutable(Path.of(d, "capinfos")));
    }

    static Run run(String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("wireshark", ".out");
        Path err = Files.createTempFile("wireshark", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(List.of(command) + " did not finish in 60 s");
            }
            return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.delete(out);
            Files.delete(err);
        }
    }
}
