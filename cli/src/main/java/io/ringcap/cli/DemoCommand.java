package io.ringcap.cli;

import io.ringcap.capture.AfPacketSource;
import io.ringcap.capture.AfXdpConfig;
import io.ringcap.capture.AfXdpSource;
import io.ringcap.capture.CaptureException;
import io.ringcap.capture.CaptureLoop;
import io.ringcap.capture.HardwareTimestamping;
import io.ringcap.capture.IdleStrategy;
import io.ringcap.capture.MulticastGroup;
import io.ringcap.capture.PacketRingGeometry;
import io.ringcap.capture.PacketSource;
import io.ringcap.capture.UdpSource;
import io.ringcap.linux.LinuxException;
import io.ringcap.pcap.PacketReader;
import io.ringcap.pcap.PacketView;
import io.ringcap.record.Recorder;
import io.ringcap.record.RecorderOptions;
import io.ringcap.record.RecorderStatus;
import io.ringcap.ring.ReaderStatusDescriptor;
import io.ringcap.ring.RecordHandler;
import io.ringcap.ring.RingFile;
import io.ringcap.ring.RingHeader;
import io.ringcap.ring.RingReader;
import io.ringcap.ring.RingWriter;
import io.ringcap.traffic.GroupAddress;
import io.ringcap.traffic.GroupReport;
import io.ringcap.traffic.PacketRate;
import io.ringcap.traffic.TestNetwork;
import io.ringcap.traffic.TrafficException;
import io.ringcap.traffic.TrafficGenerator;
import io.ringcap.traffic.TrafficPlan;
import io.ringcap.traffic.TrafficReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * {@code ringcap demo}: the whole system on one machine in about 20 seconds. As root it builds a
 * {@link TestNetwork}, sends an A/B market-data-like feed (the same sequence numbers on two groups) from the
 * sender namespace, captures it in the receiver namespace with the best source available into a ring,
 * records the ring to pcapng in-process, shows the live {@code top} view, and ends with a
 * {@link DemoSummary} that accounts for every packet at every stage. Without root it runs on loopback with
 * the udp source. Everything it creates (namespaces, ring, files unless {@code --keep}) is removed at the
 * end, on failure and on Ctrl-C.
 */
@Command(name = "demo", sortOptions = false,
    description = {"Send an A/B multicast feed through a private test network, capture, record and account for"
        + " every packet.",
        "As root: two network namespaces joined by a veth pair, capture with afxdp (else afpacket). Without root:"
            + " loopback and the udp source. Removes everything it created when it ends or is stopped."})
final class DemoCommand implements Callable<Integer> {
    /** The two lines of the demo feed: the same sequence numbers on each, as exchanges send A and B. */
    static final List<GroupAddress> LINES = List.of(GroupAddress.parse("239.100.0.1:31001"),
        GroupAddress.parse("239.100.0.2:31002"));
    private static final List<String> LINE_NAMES = List.of("A", "B");
    private static final String LOOPBACK = "lo";
    private static final int PAYLOAD_BYTES = 64;
    private static final int MAX_SECONDS = 3600;
    /** Ring bytes per packet, generously: a record header and a 106-byte frame, 8-byte aligned, is 128. */
    private static final long RING_BYTES_PER_PACKET = 256;
    private static final long MIN_RING = 64L << 20;
    /** Beyond this the ring laps during the demo, and "captured" counts only what it still holds at the end. */
    private static final long MAX_RING = 1L << 30;
    private static final long REFRESH_NANOS = 1_000_000_000L;
    private static final long DRAIN_MILLIS = 5_000;
    private static final long STOP_WAIT_SECONDS = 20;
    /** The afxdp filter's pin directory, the demo's own: 'ringcap filter' on a real capture never meets it. */
    private static final Path PIN_DIRECTORY = Path.of("/sys/fs/bpf/ringcap-demo-" + ProcessHandle.current().pid());

    @Spec
    CommandSpec spec;

    @Option(names = "--seconds", paramLabel = "N", defaultValue = "20",
        description = "How long to send, 1 to " + MAX_SECONDS + " (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--rate", paramLabel = "RATE", defaultValue = "100k", converter = GenerateCommand.RateConverter.class,
        description = "Packets per second on both lines together, e.g. 20k, 100k, 1m (default: ${DEFAULT-VALUE}).")
    long rate;

    @Option(names = "--keep", description = "Keep the pcapng files (and say where they are); default: delete them.")
    boolean keep;

    @Option(names = "--json", description = "The summary as JSON on stdout; the live view goes to stderr.")
    boolean json;

    /** Set by Ctrl-C: stop sending, then capture, record and summarise what was sent. */
    private volatile boolean stopping;
    private volatile boolean abandonRecording;
    private final AtomicReference<TrafficGenerator> generator = new AtomicReference<>();

    @Override
    public Integer call() throws Exception {
        checkArguments();
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter live = json ? err : spec.commandLine().getOut();
        Optional<String> noNetwork = TestNetwork.whyUnavailable();
        noNetwork.ifPresent(why -> say(err, "no test network (" + why + "): running on loopback with the udp source"));
        CountDownLatch finished = new CountDownLatch(1);
        Thread stopper = Thread.ofPlatform().name("ringcap-demo-stop").unstarted(() -> stop(finished));
        Runtime.getRuntime().addShutdownHook(stopper);
        Path directory = Files.createTempDirectory("ringcap-demo-");
        Path ring = Path.of("/dev/shm", directory.getFileName() + ".ring");
        TestNetwork network = null;
        try {
            network = noNetwork.isEmpty() ? TestNetwork.create() : null;
            DemoSummary summary = run(network, ring, directory, err, live);
            if (json) {
                summary.printJson(spec.commandLine().getOut());
            } else {
                summary.print(spec.commandLine().getOut());
            }
            return 0;
        } catch (TrafficException e) {
            throw new CommandFailure("demo: " + e.getMessage());
        } finally {
            if (network != null) {
                network.close();
            }
            Files.deleteIfExists(ring);
            // Where the readers announced themselves (the recorder, top); empty once they closed.
            deleteTree(ReaderStatusDescriptor.directory(ring));
            // The source unpins its filter when it closes, but leaves the directory it made.
            Files.deleteIfExists(PIN_DIRECTORY);
            if (!keep) {
                deleteTree(directory);
            }
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException shuttingDown) {
                // The hook is what stopped the demo; it waits for the latch counted down above.
            }
        }
    }

    private DemoSummary run(TestNetwork network, Path ring, Path directory, PrintWriter err, PrintWriter live)
        throws IOException, InterruptedException {
        String networkName = network == null ? "loopback (" + LOOPBACK + "), sender and capture in this process"
            : network + " (both namespaces are deleted at the end)";
        say(err, "network " + networkName);
        SourceChoice choice = network == null
            ? new SourceChoice(CaptureCommand.Source.udp, "not root: plain sockets on loopback need no privilege")
            : SourceChoice.ofCurrentThread();
        say(err, choice.toString());
        String interfaceName = network == null ? LOOPBACK : TestNetwork.RECEIVER_INTERFACE;
        RingFile.create(ring, ringCapacity(), false).close();
        PacketSource source = network == null ? openSource(choice, interfaceName, err)
            : network.receiver().call(() -> openSource(choice, interfaceName, err));
        CaptureLoop loop;
        try {
            loop = new CaptureLoop(source, RingWriter.open(ring, source.timestampSource(), source.description()),
                IdleStrategy.named("park", source.parkedBatch()), -1, CaptureLoop.DEFAULT_POLL_LIMIT);
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
        source.warnings().forEach(warning -> say(err, "warning: " + warning));
        loop.start();
        try (RingFile view = RingFile.openForReading(ring);
             Recorder recorder = Recorder.open(RecorderOptions.of(ring, directory).withUntilClosed(true),
                 line -> say(err, "record: " + line))) {
            Thread recording = Thread.ofPlatform().name("ringcap-demo-record")
                .start(() -> recorder.run(() -> !abandonRecording));
            TrafficReport sent = sendWhileWatching(network, ring, view.header(), live);
            drain(view.header(), sent.packets());
            loop.stop();
            if (!loop.awaitStopped(Duration.ofSeconds(10))) {
                throw new CommandFailure("demo: the capture loop did not stop within 10 s");
            }
            // The recorder returns once it has read the closed ring to its end; a stuck one is abandoned.
            recording.join(TimeUnit.SECONDS.toMillis(10));
            abandonRecording = true;
            recording.join();
            recorder.close();
            return summary(networkName, choice, view.header(), sent, recorder.status(), ring, directory);
        } finally {
            loop.stop();
            loop.awaitStopped(Duration.ofSeconds(10));
        }
    }

    /** Sends the feed for {@code --seconds}, refreshing the live view every second; returns what was sent. */
    private TrafficReport sendWhileWatching(TestNetwork network, Path ring, RingHeader header, PrintWriter live)
        throws InterruptedException {
        String interfaceName = network == null ? LOOPBACK : TestNetwork.SENDER_INTERFACE;
        TrafficPlan plan = new TrafficPlan(interfaceName, LINES, rate, PAYLOAD_BYTES, TrafficPlan.NO_LIMIT,
            TimeUnit.SECONDS.toNanos(seconds), 0, "DEMO");
        AtomicReference<TrafficReport> report = new AtomicReference<>();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Runnable send = () -> {
            try (TrafficGenerator opened = TrafficGenerator.open(plan)) {
                generator.set(opened);
                if (!stopping) {
                    report.set(opened.run());
                }
            } catch (RuntimeException e) {
                failure.set(e);
            }
        };
        Thread sender = network == null ? Thread.ofPlatform().name("ringcap-demo-send").unstarted(send)
            : network.sender().newThread("ringcap-demo-send", send);
        boolean terminal = !json && System.console() != null && System.console().isTerminal();
        try (RingTop top = new RingTop(ring)) {
            sender.start();
            for (int refresh = 0; sender.isAlive() && !stopping; refresh++) {
                TopCommand.refresh(List.of(top), REFRESH_NANOS, live, terminal, LINES.size() + 1);
                if (refresh == 0 && network == null && header.sourceReceived() == 0 && header.recordsWritten() == 0) {
                    stopSender(sender);
                    throw new CommandFailure("demo: multicast on loopback delivered nothing in the first second"
                        + " (a firewall on lo, or a kernel that does not deliver multicast on lo): run as root for"
                        + " the test network instead");
                }
            }
        } finally {
            stopSender(sender);
        }
        if (failure.get() != null) {
            throw new CommandFailure("demo: sending failed: " + failure.get().getMessage());
        }
        if (report.get() == null) {
            throw new CommandFailure("demo: stopped before anything was sent");
        }
        return report.get();
    }

    private void stopSender(Thread sender) throws InterruptedException {
        TrafficGenerator running = generator.get();
        if (running != null) {
            running.requestStop();
        }
        sender.join();
    }

    /**
     * Waits until every packet sent is written to the ring or counted as dropped by the source (whose counters
     * reach the header every {@link CaptureLoop#COUNTER_INTERVAL_MILLIS} ms), or until a few seconds pass.
     */
    private static void drain(RingHeader header, long sent) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS);
        while (System.nanoTime() - deadline < 0 && header.recordsWritten() + header.sourceDrops() < sent) {
            Thread.sleep(20);
        }
        // Stragglers still in the kernel reach the ring; the counters are taken exactly when the loop stops.
        Thread.sleep(300);
    }

    private DemoSummary summary(String networkName, SourceChoice choice, RingHeader header, TrafficReport sent,
        RecorderStatus recorded, Path ring, Path directory) throws IOException {
        LineTally inRing = tallyRing(ring);
        List<Path> files = recordings(directory);
        LineTally inFiles = tallyFiles(files);
        long last = sent.groups().stream().mapToLong(GroupReport::lastSequence).max().orElse(0);
        List<DemoSummary.Line> lines = new ArrayList<>();
        for (int line = 0; line < LINES.size(); line++) {
            lines.add(new DemoSummary.Line(LINE_NAMES.get(line), LINES.get(line), sent.groups().get(line).packets(),
                inRing.packets(line), inFiles.packets(line), inFiles.missing(line, last), inFiles.gaps(line, last)));
        }
        return new DemoSummary(networkName, header.sourceDescription(), choice, header.timestampSource(), sent, lines, last, inFiles.missingOnEveryLine(last),
            header.sourceReceived(), header.sourceDrops(), header.recordsWritten(), header.truncatedRecords(), recorded,
            files, keep);
    }

    private static LineTally tallyRing(Path ring) {
        LineTally tally = new LineTally(LINES);
        try (RingReader reader = RingReader.open(ring, RingReader.Start.OLDEST)) {
            RecordHandler handler = record -> tally.count(record.buffer(), record.frameOffset(), record.capturedLength());
            while (reader.poll(handler, 4096) > 0) {
                // Until everything the closed ring holds is counted.
            }
        }
        return tally;
    }

    private static LineTally tallyFiles(List<Path> files) throws IOException {
        LineTally tally = new LineTally(LINES);
        for (Path file : files) {
            try (PacketReader reader = PacketReader.open(file)) {
                while (reader.next()) {
                    PacketView packet = reader.packet();
                    tally.count(packet.buffer(), packet.dataOffset(), packet.capturedLength());
                }
            }
        }
        return tally;
    }

    private static List<Path> recordings(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".pcapng")).sorted().toList();
        }
    }

    private PacketSource openSource(SourceChoice choice, String interfaceName, PrintWriter err) {
        List<MulticastGroup> groups = LINES.stream().map(line -> MulticastGroup.parse(line.toString())).toList();
        try {
            if (choice.source() == CaptureCommand.Source.afxdp) {
                try {
                    return AfXdpSource.open(interfaceName, groups, List.of(),
                        AfXdpConfig.DEFAULT.withPinDirectory(PIN_DIRECTORY));
                } catch (CaptureException | LinuxException e) {
                    say(err, "source afpacket: afxdp could not be set up (" + e.getMessage() + ")");
                }
            }
            if (choice.source() != CaptureCommand.Source.udp) {
                return AfPacketSource.open(interfaceName, groups, PacketRingGeometry.DEFAULT, HardwareTimestamping.OFF);
            }
            return UdpSource.open(interfaceName, groups, HardwareTimestamping.OFF);
        } catch (CaptureException | LinuxException e) {
            throw new CommandFailure("demo: cannot open the capture source: " + e.getMessage());
        }
    }

    /** A ring that holds the whole demo where that takes at most {@link #MAX_RING}: a power of two. */
    private long ringCapacity() {
        double wanted = (double) rate * seconds * RING_BYTES_PER_PACKET;
        if (wanted >= MAX_RING) {
            return MAX_RING;
        }
        return Math.max(MIN_RING, Long.highestOneBit((long) wanted - 1) << 1);
    }

    private void checkArguments() {
        if (seconds < 1 || seconds > MAX_SECONDS) {
            throw new ParameterException(spec.commandLine(), "--seconds " + seconds + " must be from 1 to " + MAX_SECONDS);
        }
        if (rate == PacketRate.FLAT_OUT) {
            throw new ParameterException(spec.commandLine(), "--rate max: the demo sends at a rate this machine"
                + " sustains; give one, e.g. 100k");
        }
    }

    /** The shutdown hook: makes every stage stop, then waits for the cleanup in {@link #call()}. */
    private void stop(CountDownLatch finished) {
        stopping = true;
        TrafficGenerator running = generator.get();
        if (running != null) {
            running.requestStop();
        }
        try {
            finished.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Deletes {@code directory} and everything below it; nothing if it does not exist. */
    static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static void say(PrintWriter err, String line) {
        synchronized (err) {
            err.println("ringcap demo: " + line);
            err.flush();
        }
    }
}
