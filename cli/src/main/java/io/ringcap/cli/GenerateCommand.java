package io.ringcap.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ringcap.linux.CpuAffinity;
import io.ringcap.linux.LinuxException;
import io.ringcap.linux.NetworkInterfaces;
import io.ringcap.linux.NetworkNamespace;
import io.ringcap.traffic.GroupAddress;
import io.ringcap.traffic.GroupReport;
import io.ringcap.traffic.PacketRate;
import io.ringcap.traffic.TrafficException;
import io.ringcap.traffic.TrafficGenerator;
import io.ringcap.traffic.TrafficPlan;
import io.ringcap.traffic.TrafficReport;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code ringcap generate --iface IF --group 239.1.1.1:5000 --rate 500k --count N}: paced,
 * sequence-numbered multicast for testing captures (see {@link TrafficGenerator}), with a report of
 * what was sent. The JSON field names are an interface for scripts: add fields, never rename them.
 */
@Command(name = "generate", sortOptions = false,
    description = {
        "Send sequence-numbered UDP multicast at a precise rate, for testing captures.",
        "Each payload starts with a MoldUDP64 header (10-byte session, 8-byte big-endian sequence number, "
            + "2-byte message count). Groups take turns packet by packet, each with its own sequence "
            + "numbers from 1; --rate and --count count all groups together. Packets leave by --iface with "
            + "TTL 1 and are not looped back to local listeners."})
final class GenerateCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final double NANOS_PER_SECOND = 1e9;
    /** Later than this, packets went out in bursts rather than evenly spaced: worth saying. */
    private static final long BEHIND_NANOS = 1_000_000;
    /** How long Ctrl-C waits for the report of a run it stopped. */
    private static final long STOP_WAIT_SECONDS = 5;

    @Spec
    CommandSpec spec;

    @Option(names = "--iface", required = true, paramLabel = "IF",
        description = "Interface the multicast leaves by, e.g. eth0.")
    String interfaceName;

    @Option(names = "--group", required = true, paramLabel = "GROUP:PORT", converter = GroupConverter.class,
        description = "Multicast group and UDP port, e.g. 239.1.1.1:5000; repeat for more groups. "
            + "Only 224.0.0.0/4: the generator does not send unicast.")
    List<GroupAddress> groups;

    @Option(names = "--rate", required = true, paramLabel = "RATE", converter = RateConverter.class,
        description = "Packets per second to all groups together: 500k, 1.5m, 2000, or max for flat out.")
    long rate;

    @Option(names = "--size", defaultValue = "64", paramLabel = "BYTES",
        description = "UDP payload bytes per packet, 20 to 65507 (default ${DEFAULT-VALUE}).")
    int size;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Stop stop;

    @Option(names = "--source-port", defaultValue = "0", paramLabel = "PORT",
        description = "UDP source port (default: one the kernel chooses).")
    int sourcePort;

    @Option(names = "--cpu", paramLabel = "N", description = "Pin the sending thread to CPU N.")
    Integer cpu;

    @Option(names = "--session", defaultValue = TrafficPlan.DEFAULT_SESSION, paramLabel = "NAME",
        description = "MoldUDP64 session, at most 10 ASCII characters (default ${DEFAULT-VALUE}).")
    String session;

    @Option(names = "--netns", paramLabel = "NAME",
        description = "Send from inside the network namespace NAME (as 'ip netns exec NAME' would).")
    String namespace;

    @Option(names = "--json", description = "Print one JSON object with snake_case fields instead of text.")
    boolean json;

    /** Exactly one of the two ways to end a run. */
    static final class Stop {
        @Option(names = "--count", required = true, paramLabel = "N", description = "Packets to send in all.")
        Long count;

        @Option(names = "--seconds", required = true, paramLabel = "S", description = "How long to send, e.g. 10 or 0.5.")
        Double seconds;
    }

    @Override
    public Integer call() throws Exception {
        TrafficPlan plan = plan();
        // The sender gets a thread of its own: the namespace and the CPU pinning stay with it and
        // do not leak into the caller's thread.
        CompletableFuture<TrafficGenerator> opened = new CompletableFuture<>();
        CompletableFuture<TrafficReport> finished = new CompletableFuture<>();
        CountDownLatch reported = new CountDownLatch(1);
        Thread stopOnSignal = Thread.ofPlatform().unstarted(() -> stopAndWait(opened, reported));
        Runtime.getRuntime().addShutdownHook(stopOnSignal);
        try {
            Thread.ofPlatform().name("ringcap-generate").start(() -> send(plan, opened, finished));
            TrafficReport report;
            try {
                report = finished.join();
            } catch (CompletionException e) {
                throw failure(e.getCause());
            }
            print(plan, report);
            if (report.failure().isPresent()) {
                throw new CommandFailure("sending stopped early: " + report.failure().get());
            }
            return 0;
        } finally {
            reported.countDown();
            removeHook(stopOnSignal);
        }
    }

    private TrafficPlan plan() {
        if (stop.count != null && stop.count < 1) {
            throw new ParameterException(spec.commandLine(), "--count must be at least 1, got " + stop.count);
        }
        if (stop.seconds != null && !(stop.seconds > 0 && stop.seconds * NANOS_PER_SECOND < Long.MAX_VALUE)) {
            throw new ParameterException(spec.commandLine(), "--seconds must be more than 0, got " + stop.seconds);
        }
        if (cpu != null && cpu < 0) {
            throw new ParameterException(spec.commandLine(), "--cpu numbers start at 0, got " + cpu);
        }
        try {
            return new TrafficPlan(interfaceName, groups, rate, size,
                stop.count == null ? TrafficPlan.NO_LIMIT : stop.count,
                stop.seconds == null ? TrafficPlan.NO_LIMIT : Math.round(stop.seconds * NANOS_PER_SECOND),
                sourcePort, session);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private void send(TrafficPlan plan, CompletableFuture<TrafficGenerator> opened,
                      CompletableFuture<TrafficReport> finished) {
        try {
            TrafficGenerator generator = open(plan);
            try (generator) {
                opened.complete(generator);
                finished.complete(generator.run());
            }
        } catch (Throwable e) {
            opened.completeExceptionally(e);
            finished.completeExceptionally(e);
        }
    }

    /** Enters the namespace, pins the thread and opens the socket; a wrong name or number is a usage error. */
    private TrafficGenerator open(TrafficPlan plan) {
        if (namespace != null) {
            try {
                NetworkNamespace.enterNamed(namespace);
            } catch (LinuxException e) {
                throw new ParameterException(spec.commandLine(), "--netns " + namespace + ": " + e.getMessage());
            }
        }
        try {
            NetworkInterfaces.indexOf(interfaceName);
        } catch (LinuxException e) {
            throw new ParameterException(spec.commandLine(), "--iface " + interfaceName + ": " + e.getMessage());
        }
        if (cpu != null) {
            try {
                CpuAffinity.pinCurrentThread(cpu);
            } catch (LinuxException e) {
                throw new ParameterException(spec.commandLine(), "--cpu " + cpu + ": " + e.getMessage());
            }
        }
        return TrafficGenerator.open(plan);
    }

    /** On Ctrl-C or kill: stop sending, and let the report print before the JVM goes. */
    private static void stopAndWait(CompletableFuture<TrafficGenerator> opened, CountDownLatch reported) {
        opened.thenAccept(TrafficGenerator::requestStop);
        try {
            reported.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            // Exiting anyway: the report is lost, which beats a JVM that will not die.
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is shutting down; the hook has waited for the report, which is out.
        }
    }

    private static RuntimeException failure(Throwable cause) {
        if (cause instanceof ParameterException usage) {
            return usage;
        }
        if (cause instanceof LinuxException || cause instanceof TrafficException) {
            return new CommandFailure(cause.getMessage());
        }
        return cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
    }

    private void print(TrafficPlan plan, TrafficReport report) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JSON.writeValueAsString(toJson(plan, report)));
        } else {
            printHuman(plan, report, out);
        }
        out.flush();
    }

    private static void printHuman(TrafficPlan plan, TrafficReport report, PrintWriter out) {
        line(out, "sent", report.packets() + " packets, " + report.payloadBytes() + " payload bytes in "
            + String.format(Locale.ROOT, "%.3f s", report.durationNanos() / NANOS_PER_SECOND) + " from "
            + plan.interfaceName());
        line(out, "rate", String.format(Locale.ROOT, "%.0f packets/s, %.1f Mbit/s of payload (target %s)",
            report.packetsPerSecond(), report.payloadBitsPerSecond() / 1e6, PacketRate.format(plan.packetsPerSecond())));
        if (plan.packetsPerSecond() != PacketRate.FLAT_OUT) {
            line(out, "late", String.format(Locale.ROOT, "at most %.3f ms behind schedule%s",
                report.maxLatenessNanos() / 1e6, report.maxLatenessNanos() > BEHIND_NANOS
                    ? " (this host could not keep the rate all the time: sent in bursts to catch up)" : ""));
        }
        for (GroupReport group : report.groups()) {
            line(out, "group", group.group() + "  " + group.packets() + " packets, sequence "
                + group.firstSequence() + " to " + group.lastSequence());
        }
        StringBuilder retried = new StringBuilder().append(report.totalRetriedSends()).append(" sends (");
        report.retriedSends().forEach((errno, count) -> retried.append(errno).append(' ').append(count).append(", "));
        retried.setLength(retried.length() - 2);
        line(out, "retried", retried.append(')').toString());
    }

    private static void line(PrintWriter out, String label, String value) {
        out.printf("%-9s%s%n", label, value);
    }

    static ObjectNode toJson(TrafficPlan plan, TrafficReport report) {
        ObjectNode root = JSON.createObjectNode();
        root.put("interface", plan.interfaceName());
        root.put("session", plan.session());
        root.put("payload_size", plan.payloadSize());
        if (plan.packetsPerSecond() == PacketRate.FLAT_OUT) {
            root.putNull("target_packets_per_second");
        } else {
            root.put("target_packets_per_second", plan.packetsPerSecond());
        }
        root.put("packets", report.packets());
        root.put("payload_bytes", report.payloadBytes());
        root.put("duration_nanos", report.durationNanos());
        root.put("max_lateness_nanos", report.maxLatenessNanos());
        root.put("packets_per_second", report.packetsPerSecond());
        root.put("payload_bits_per_second", report.payloadBitsPerSecond());
        ArrayNode groups = root.putArray("groups");
        for (GroupReport group : report.groups()) {
            ObjectNode node = groups.addObject();
            node.put("group", group.group().toString());
            node.put("packets", group.packets());
            node.put("first_sequence", group.firstSequence());
            node.put("last_sequence", group.lastSequence());
        }
        ObjectNode retried = root.putObject("retried_sends");
        report.retriedSends().forEach(retried::put);
        report.failure().ifPresentOrElse(failure -> root.put("failure", failure), () -> root.putNull("failure"));
        return root;
    }

    /** {@code GROUP:PORT}; anything else is a usage error. */
    static final class GroupConverter implements ITypeConverter<GroupAddress> {
        @Override
        public GroupAddress convert(String value) {
            try {
                return GroupAddress.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A packet rate ({@link PacketRate}); anything else is a usage error. */
    static final class RateConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return PacketRate.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
