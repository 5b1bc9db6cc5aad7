package io.ringcap.cli;

import io.ringcap.record.Durations;
import io.ringcap.record.FsyncPolicy;
import io.ringcap.record.Recorder;
import io.ringcap.record.RecorderOptions;
import io.ringcap.record.RecorderStatus;
import io.ringcap.record.RecordingException;
import io.ringcap.ring.RingReader;
import io.ringcap.ring.Sizes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code ringcap record --ring PATH --dir DIR}: records a ring into rotating, indexed pcapng files as an
 * unprivileged reader. Prints a status line on stderr every second and the final counters on exit; stops
 * cleanly on SIGINT/SIGTERM (the file being written is completed, the position saved), and resumes where
 * it stopped when started again on the same directory.
 */
@Command(name = "record", description = "Record a ring into rotating, indexed pcapng files (see docs/recording.md).")
final class RecordCommand implements Callable<Integer> {
    private static final long DEFAULT_ROTATE_BYTES = 1L << 30;
    /** How long a stop signal waits for the current file to be completed. */
    private static final long STOP_WAIT_SECONDS = 30;

    @Spec
    CommandSpec spec;

    @Option(names = "--ring", required = true, paramLabel = "PATH", description = "The ring file to record.")
    Path ring;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Where the recordings go (created if missing).")
    Path dir;

    @Option(names = "--rotate-size", converter = SizeConverter.class, paramLabel = "SIZE",
        description = "Start a new file at this size, e.g. 1g (default: 1g unless --rotate-time is given).")
    Long rotateSize;

    @Option(names = "--rotate-time", paramLabel = "DURATION",
        description = "Start a new file after this much time, e.g. 60s, 5m.")
    String rotateTime;

    @Option(names = "--fsync", defaultValue = "none", paramLabel = "none|rotate|<N>ms",
        description = "When to force data to disk: never, when a file is complete, or every N ms (default: ${DEFAULT-VALUE}).")
    String fsync;

    @Option(names = "--direct", description = "Write with O_DIRECT, bypassing the page cache.")
    boolean direct;

    @Option(names = "--buffer", converter = SizeConverter.class, defaultValue = "4m", paramLabel = "SIZE",
        description = "Bytes per write to the file (default: ${DEFAULT-VALUE}).")
    long buffer;

    @Option(names = "--start", defaultValue = "oldest", paramLabel = "oldest|newest",
        description = "Where to start in the ring when DIR has no state to resume from (default: ${DEFAULT-VALUE}).")
    RingReader.Start start;

    @Option(names = "--until-closed", description = "Stop once the ring's writer has closed it and everything is recorded.")
    boolean untilClosed;

    @Mixin
    MetricsOptions metrics;

    private volatile boolean stopping;

    @Override
    public Integer call() throws IOException {
        RecorderOptions options = options();
        Optional<MetricsAddress> metricsAddress = metrics.address(spec);
        PrintWriter err = spec.commandLine().getErr();
        CountDownLatch finished = new CountDownLatch(1);
        Recorder recorder;
        try {
            recorder = Recorder.open(options, line -> print(err, "ringcap record: " + line));
        } catch (RecordingException e) {
            throw new CommandFailure(e.getMessage());
        }
        MetricsEndpoint endpoint;
        try {
            endpoint = metricsAddress.map(address -> MetricsEndpoint.forRecorder(address, ring, recorder)).orElse(null);
        } catch (CommandFailure e) {
            recorder.close();
            throw e;
        }
        if (endpoint != null) {
            print(err, "ringcap record: metrics at http://" + metricsAddress.get().withPort(endpoint.port()) + "/metrics");
        }
        Thread stopper = new Thread(() -> stop(finished), "ringcap-record-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        Thread status = Thread.ofPlatform().daemon().name("ringcap-record-status").start(() -> printStatus(recorder, err));
        try {
            recorder.run(() -> !stopping);
            recorder.close();
            RecorderStatus last = recorder.status();
            print(err, "ringcap record: stopped: " + last.packets() + " packets (" + Sizes.format(last.bytes()) + ") in "
                + last.files() + " files; lost " + last.lostToLaps() + " to laps, " + last.lostToDisk() + " to disk ("
                + last.diskErrors() + " disk errors)");
        } finally {
            status.interrupt();
            if (endpoint != null) {
                endpoint.close();
            }
            // Last: a stop signal's hook waits for this, and the JVM exits as soon as the hook returns.
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException e) {
                // Already shutting down: the hook is what stopped the loop.
            }
        }
        return 0;
    }

    private RecorderOptions options() {
        long rotateNanos = 0;
        if (rotateTime != null) {
            try {
                rotateNanos = Durations.parseNanos(rotateTime);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--rotate-time: " + e.getMessage());
            }
            if (rotateNanos < 1_000_000_000L) {
                throw new ParameterException(spec.commandLine(), "--rotate-time " + rotateTime + " is below 1s");
            }
        }
        long rotateBytes = rotateSize != null ? rotateSize : rotateNanos > 0 ? 0 : DEFAULT_ROTATE_BYTES;
        if (rotateSize != null && rotateSize < (1 << 20)) {
            throw new ParameterException(spec.commandLine(), "--rotate-size " + Sizes.format(rotateSize) + " is below 1m");
        }
        if (buffer < (128 << 10) || buffer > (256 << 20)) {
            throw new ParameterException(spec.commandLine(), "--buffer must be from 128k to 256m");
        }
        FsyncPolicy policy;
        try {
            policy = FsyncPolicy.parse(fsync);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--fsync: " + e.getMessage());
        }
        return new RecorderOptions(ring, dir, rotateBytes, rotateNanos, policy, direct, (int) buffer, start, untilClosed);
    }

    private void stop(CountDownLatch finished) {
        stopping = true;
        try {
            finished.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void printStatus(Recorder recorder, PrintWriter err) {
        RecorderStatus previous = recorder.status();
        long previousNanos = System.nanoTime();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                return;
            }
            RecorderStatus now = recorder.status();
            long nowNanos = System.nanoTime();
            double seconds = (nowNanos - previousNanos) / 1e9;
            print(err, String.format(Locale.ROOT,
                "ringcap record: %.0f pkt/s, %.1f MB/s, %d files completed, lost %d to laps, %d to disk%s",
                (now.packets() - previous.packets()) / seconds, (now.bytes() - previous.bytes()) / seconds / 1e6,
                now.files(), now.lostToLaps(), now.lostToDisk(), now.diskFailing() ? " (disk refusing writes)" : ""));
            previous = now;
            previousNanos = nowNanos;
        }
    }

    private static void print(PrintWriter err, String line) {
        synchronized (err) {
            err.println(line);
            err.flush();
        }
    }
}
