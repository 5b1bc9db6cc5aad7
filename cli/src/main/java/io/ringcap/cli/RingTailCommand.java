package io.ringcap.cli;

import io.ringcap.ring.ReaderStatusWriter;
import io.ringcap.ring.RecordHandler;
import io.ringcap.ring.RingDescriptor;
import io.ringcap.ring.RingException;
import io.ringcap.ring.RingHeader;
import io.ringcap.ring.RingReader;
import io.ringcap.ring.RingRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code ringcap ring tail PATH}: prints records as the writer publishes them, one line each, with losses
 * and writer restarts inline. Stops after {@code --count} records, on Ctrl-C, or once the writer has closed
 * the ring and every record was read.
 */
@Command(name = "tail", description = "Print a ring's records as they arrive, one line each.")
final class RingTailCommand implements Callable<Integer> {
    /** A person reads the output: 1 ms of latency is invisible, and a parked reader costs no CPU. */
    private static final long IDLE_PARK_NANOS = 1_000_000L;
    private static final int BATCH = 256;
    /** How long Ctrl-C waits for the last lines and the summary to be printed. */
    private static final long STOP_WAIT_MILLIS = 1_000;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH", description = "The ring file.")
    Path path;

    @Option(names = "--from", defaultValue = "newest", paramLabel = "oldest|newest",
        description = "Start at the oldest record still in the ring, or at the next one written (default: "
            + "${DEFAULT-VALUE}).")
    RingReader.Start from;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N records.")
    Long count;

    @Option(names = "--bytes", defaultValue = "16", paramLabel = "N",
        description = "Frame bytes to print in hex (default: ${DEFAULT-VALUE}; 0 for none).")
    int bytes;

    private volatile boolean stopping;

    @Override
    public Integer call() {
        if (count != null && count < 1) {
            throw new ParameterException(spec.commandLine(), "--count " + count + " must be 1 or more");
        }
        if (bytes < 0) {
            throw new ParameterException(spec.commandLine(), "--bytes " + bytes + " must be 0 or more");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (RingReader reader = RingReader.open(path, from); ReaderStatusWriter status = announce(reader, err)) {
            CountDownLatch finished = new CountDownLatch(1);
            Thread stopper = new Thread(() -> stopOnInterrupt(finished), "ringcap-tail-stop");
            Runtime.getRuntime().addShutdownHook(stopper);
            try {
                long printed = follow(reader, status, new LinePrinter(out, bytes), count == null ? Long.MAX_VALUE : count);
                if (printed == 0 && from == RingReader.Start.NEWEST && isClosedAndRead(reader)) {
                    err.println("ringcap: the writer has closed " + path
                        + " and wrote nothing since: use --from oldest to print what the ring holds");
                }
                err.println("-- " + printed + " records printed, " + reader.lostRecords() + " lost in "
                    + reader.laps() + " laps");
                err.flush();
            } finally {
                finished.countDown();
                removeShutdownHook(stopper);
            }
        }
        return 0;
    }

    /** Announcing is for monitoring only: without a writable status directory tail prints all the same. */
    private ReaderStatusWriter announce(RingReader reader, PrintWriter err) {
        try {
            return ReaderStatusWriter.open(path, reader.header(), "tail", false);
        } catch (RingException e) {
            err.println("ringcap: warning: " + e.getMessage());
            return null;
        }
    }

    private long follow(RingReader reader, ReaderStatusWriter status, LinePrinter printer, long limit) {
        RingHeader header = reader.header();
        long printed = 0;
        while (!stopping && printed < limit) {
            // Read the state before polling: a writer that closed published its last record first.
            boolean closed = header.writerState() == RingDescriptor.STATE_CLOSED;
            int delivered = reader.poll(printer, (int) Math.min(BATCH, limit - printed));
            printer.out.flush();
            printed += delivered;
            if (status != null && status.due(System.nanoTime())) {
                status.update(reader);
            }
            if (delivered == 0) {
                if (closed && reader.position() >= header.tail()) {
                    break;
                }
                LockSupport.parkNanos(IDLE_PARK_NANOS);
            }
        }
        return printed;
    }

    private static boolean isClosedAndRead(RingReader reader) {
        RingHeader header = reader.header();
        return header.writerState() == RingDescriptor.STATE_CLOSED && reader.position() >= header.tail();
    }

    private void stopOnInterrupt(CountDownLatch finished) {
        stopping = true;
        try {
            finished.await(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down (Ctrl-C): the hook is what is running.
        }
    }

    /** Prints each intact record, and losses and restarts where they happened in the stream. */
    private static final class LinePrinter implements RecordHandler {
        final PrintWriter out;
        private final int bytes;
        private final StringBuilder line = new StringBuilder(128);

        LinePrinter(PrintWriter out, int bytes) {
            this.out = out;
            this.bytes = bytes;
        }

        @Override
        public void onRecord(RingRecord record) {
            line.setLength(0);
            RecordLine.append(line, record, bytes);
            // Print only what the writer had not begun to overwrite while we read it; the reader reports the rest.
            if (record.isIntact()) {
                out.append(line).append('\n');
            }
        }

        @Override
        public void onLoss(long records, long ringBytes) {
            out.append("-- lost ").append(String.valueOf(records)).append(" records (")
                .append(String.valueOf(ringBytes)).append(" bytes): reader was lapped\n");
        }

        @Override
        public void onWriterRestart(long previousEpoch, long epoch) {
            out.append("-- writer restarted: epoch ").append(String.valueOf(previousEpoch)).append(" -> ")
                .append(String.valueOf(epoch)).append('\n');
        }
    }
}
