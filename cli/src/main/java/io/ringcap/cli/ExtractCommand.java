package io.ringcap.cli;

import io.ringcap.record.Extraction;
import io.ringcap.record.RecordingException;
import io.ringcap.record.UdpDestination;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ringcap extract --dir DIR --from T --to T [--group ADDR:PORT ...] -o out.pcapng}: copies the
 * packets with {@code from <= time < to} (of the given groups only, if any) from the recordings in DIR into
 * one pcapng file, byte for byte with their nanosecond timestamps, reading only what the indexes say it
 * needs. Progress and notes (files without a usable index, ...) go to stderr.
 */
@Command(name = "extract", description = "Copy a time range (and groups) of the recordings in a directory into one pcapng file.")
final class ExtractCommand implements Callable<Integer> {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Directory of recordings.")
    Path dir;

    @Option(names = "--from", required = true, paramLabel = "TIME",
        description = "First instant, RFC 3339 UTC with up to 9 decimals, e.g. 2026-11-25T14:30:00.123456789Z (inclusive).")
    String from;

    @Option(names = "--to", required = true, paramLabel = "TIME", description = "Last instant (exclusive), same form.")
    String to;

    @Option(names = "--group", paramLabel = "ADDR:PORT",
        description = "Only packets to this IPv4 destination and UDP port, e.g. 239.1.1.1:5000; repeatable.")
    List<String> groups = List.of();

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The pcapng file to write.")
    Path output;

    @Override
    public Integer call() throws IOException {
        long fromNanos = nanos("--from", from);
        long toNanos = nanos("--to", to);
        if (fromNanos > toNanos) {
            throw new ParameterException(spec.commandLine(), "--from " + from + " is after --to " + to);
        }
        long[] destinations = new long[groups.size()];
        for (int i = 0; i < destinations.length; i++) {
            try {
                destinations[i] = UdpDestination.parse(groups.get(i));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--group: " + e.getMessage());
            }
        }
        if (!Files.isDirectory(dir)) {
            throw new ParameterException(spec.commandLine(), "--dir " + dir + " is not a directory");
        }
        if (!Extraction.holdsCaptureFiles(dir)) {
            throw new ParameterException(spec.commandLine(), "--dir " + dir + " holds no capture files (*.pcapng, *.pcap)");
        }
        PrintWriter err = spec.commandLine().getErr();
        Extraction.Result result;
        try {
            result = Extraction.run(dir, fromNanos, toNanos, destinations, output, line -> {
                err.println("ringcap extract: " + line);
                err.flush();
            });
        } catch (RecordingException e) {
            throw new CommandFailure(e.getMessage());
        }
        err.println("ringcap extract: " + result.packets() + " packets into " + output + " from " + result.filesRead()
            + " of " + result.files() + " files" + (result.scanned() > 0 ? " (" + result.scanned() + " scanned whole)" : ""));
        err.flush();
        return 0;
    }

    private long nanos(String option, String text) {
        try {
            Instant instant = Instant.parse(text);
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), NANOS_PER_SECOND), instant.getNano());
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new ParameterException(spec.commandLine(), option + " '" + text
                + "' is not an RFC 3339 UTC time such as 2026-11-25T14:30:00.123456789Z");
        }
    }
}
