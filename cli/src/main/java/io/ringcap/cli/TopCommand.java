package io.ringcap.cli;

import io.ringcap.record.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code ringcap top RING…}: a live view of rings, refreshed every second: rates, drops, fill and window,
 * the writer's heartbeat, per-flow rates from reading the ring itself, and the readers that announced
 * themselves. On a terminal each refresh redraws the screen; otherwise each is appended, for logs and tests.
 */
@Command(name = "top", description = "Live view of rings: packets/s, Mbit/s, drops, flows, fill, window, readers.")
final class TopCommand implements Callable<Integer> {
    private static final String CLEAR_SCREEN = "\033[H\033[2J";
    /** Between refreshes top reads the rings; a person watching does not notice 1 ms, a busy loop would cost a core. */
    private static final long IDLE_PARK_NANOS = 1_000_000L;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "RING", description = "Ring files to watch.")
    List<Path> rings;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N refreshes (default: until Ctrl-C).")
    Long count;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1s",
        description = "Time between refreshes, from 100ms (default: ${DEFAULT-VALUE}).")
    String interval;

    @Option(names = "--flows", paramLabel = "N", defaultValue = "10",
        description = "Flows shown per ring, busiest first (default: ${DEFAULT-VALUE}).")
    int maxFlows;

    @Override
    public Integer call() {
        long intervalNanos = intervalNanos();
        if (count != null && count < 1) {
            throw new ParameterException(spec.commandLine(), "--count " + count + " must be 1 or more");
        }
        if (maxFlows < 0) {
            throw new ParameterException(spec.commandLine(), "--flows " + maxFlows + " must be 0 or more");
        }
        PrintWriter out = spec.commandLine().getOut();
        boolean terminal = System.console() != null && System.console().isTerminal();
        List<RingTop> views = new ArrayList<>();
        try {
            for (Path ring : rings) {
                views.add(new RingTop(ring));
            }
            for (long refresh = 0; count == null || refresh < count; refresh++) {
                refresh(views, intervalNanos, out, terminal, maxFlows);
            }
        } finally {
            views.forEach(RingTop::close);
        }
        return 0;
    }

    /**
     * Reads the rings for {@code intervalNanos}, then prints one refresh of every view: the loop of
     * {@code ringcap top}, and the live view of {@code ringcap demo}.
     */
    static void refresh(List<RingTop> views, long intervalNanos, PrintWriter out, boolean terminal, int maxFlows) {
        long due = System.nanoTime() + intervalNanos;
        while (System.nanoTime() - due < 0) {
            boolean any = false;
            for (RingTop view : views) {
                any |= view.read();
            }
            if (!any) {
                LockSupport.parkNanos(IDLE_PARK_NANOS);
            }
        }
        out.print(terminal ? CLEAR_SCREEN : "");
        out.println("ringcap top  " + UtcTime.format(System.currentTimeMillis() * 1_000_000L));
        views.forEach(view -> view.print(out, maxFlows));
        out.flush();
    }

    private long intervalNanos() {
        try {
            long nanos = Durations.parseNanos(interval);
            if (nanos < 100_000_000L) {
                throw new IllegalArgumentException("'" + interval + "' is below 100ms");
            }
            return nanos;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--interval: " + e.getMessage());
        }
    }
}
