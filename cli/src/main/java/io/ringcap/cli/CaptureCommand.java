package io.ringcap.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ringcap.capture.AfPacketSource;
import io.ringcap.capture.AfXdpConfig;
import io.ringcap.capture.AfXdpSource;
import io.ringcap.capture.CaptureException;
import io.ringcap.capture.CaptureLoop;
import io.ringcap.capture.FanoutGroup;
import io.ringcap.capture.HardwareTimestamping;
import io.ringcap.capture.IdleStrategy;
import io.ringcap.capture.MulticastGroup;
import io.ringcap.capture.PacketRingGeometry;
import io.ringcap.capture.PacketSource;
import io.ringcap.capture.UdpSource;
import io.ringcap.capture.UnixUser;
import io.ringcap.capture.XdpMode;
import io.ringcap.linux.Capabilities;
import io.ringcap.linux.CapabilityLayouts;
import io.ringcap.linux.CapabilitySets;
import io.ringcap.linux.CpuAffinity;
import io.ringcap.linux.LinuxException;
import io.ringcap.linux.NetworkInterfaces;
import io.ringcap.linux.NetworkNamespace;
import io.ringcap.ring.RingDescriptor;
import io.ringcap.ring.RingFile;
import io.ringcap.ring.RingHeader;
import io.ringcap.ring.RingWriter;
import io.ringcap.ring.Sizes;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code ringcap capture --iface IF --group ADDR:PORT … --ring PATH}: the one privileged process. It checks
 * everything it can before touching anything (interface, groups, privilege), sets up the source, locks the
 * ring in memory, drops privileges if asked, then captures until SIGINT/SIGTERM, printing a status line on
 * stderr every second. On a stop signal the loop finishes its poll and closes the ring (marked closed).
 */
@Command(name = "capture", description = "Capture UDP multicast groups from an interface into a ring.")
final class CaptureCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DEFAULT_RING_SIZE = 1L << 30;

    enum Source { auto, afxdp, afpacket, udp }

    enum Idle { busy, yield, park }

    @Spec
    CommandSpec spec;

    @Option(names = "--iface", required = true, paramLabel = "IF", description = "Interface to capture on, e.g. eth0.")
    String interfaceName;

    @Option(names = "--source", paramLabel = "SOURCE", defaultValue = "auto",
        description = "afxdp (XDP program + AF_XDP sockets: kernel bypass, filter editable with 'ringcap filter';"
            + " root), afpacket (TPACKET_V3 ring, CAP_NET_RAW), udp (sockets, no privilege) or auto (the first of"
            + " these this process may use, saying which and why). Default: ${DEFAULT-VALUE}.")
    Source source;

    @Option(names = "--xdp-mode", paramLabel = "MODE", defaultValue = "auto",
        description = "afxdp: where the XDP program runs: native (in the driver), generic (any interface),"
            + " offload (on the NIC) or auto (native, else generic). Default: ${DEFAULT-VALUE}.")
    XdpMode xdpMode;

    @Option(names = "--queues", paramLabel = "N[,N…]", split = ",",
        description = "afxdp: receive queues to take packets from, one AF_XDP socket each. Default: all.")
    List<Integer> queues;

    @Option(names = "--umem-frames", paramLabel = "N",
        description = "afxdp: UMEM frames per queue, a power of two. Default: 512 MiB of frames shared out among"
            + " the queues, at least 65536 each.")
    Integer umemFrames;

    @Option(names = "--frame-size", paramLabel = "BYTES", defaultValue = "2048",
        description = "afxdp: bytes per UMEM frame, 2048 (frames up to 1792 bytes) or 4096 (jumbo)."
            + " Default: ${DEFAULT-VALUE}.")
    int frameSize;

    @Option(names = "--group", required = true, paramLabel = "ADDR[:PORT]", converter = GroupConverter.class,
        description = "Multicast group and UDP port to capture, e.g. 239.1.1.1:5000; repeat for more. Without a"
            + " port every port of the group (afpacket only).")
    List<MulticastGroup> groups;

    @Option(names = "--ring", required = true, paramLabel = "PATH",
        description = "Ring file; created if absent, e.g. /dev/hugepages/eth0.ring or /dev/shm/eth0.ring.")
    Path ring;

    @Option(names = "--size", paramLabel = "SIZE", converter = SizeConverter.class,
        description = "Size of a ring created here: a power of two, e.g. 1g, 8g. Default: 1g.")
    Long size;

    @Option(names = "--cpu", paramLabel = "N", defaultValue = "-1",
        description = "Pin the capture thread to this CPU (best isolated: isolcpus, nohz_full).")
    int cpu;

    @Option(names = "--hw-timestamps", paramLabel = "MODE", arity = "0..1", fallbackValue = "require",
        defaultValue = "off",
        description = "NIC hardware timestamps: require (fail without them; the default when given alone),"
            + " prefer (fall back to kernel ones) or off. Default: ${DEFAULT-VALUE}.")
    String hardwareTimestamps;

    @Option(names = "--idle", paramLabel = "STRATEGY", defaultValue = "busy",
        description = "What the capture thread does when idle: busy (spin, no system call), yield or park."
            + " Default: ${DEFAULT-VALUE}.")
    Idle idle;

    @Option(names = "--user", paramLabel = "USER",
        description = "After set-up, become USER (e.g. nobody): every thread gives up every capability.")
    String user;

    @Option(names = "--block-size", paramLabel = "SIZE", converter = SizeConverter.class,
        description = "afpacket: bytes per kernel ring block, a power of two >= 4k. Default: 64k.")
    Long blockSize;

    @Option(names = "--blocks", paramLabel = "N", defaultValue = "1024",
        description = "afpacket: blocks in the kernel ring. Default: ${DEFAULT-VALUE}.")
    int blocks;

    @Option(names = "--retire-ms", paramLabel = "MS", defaultValue = "1",
        description = "afpacket: ms before the kernel hands over a block that is not full. Default: ${DEFAULT-VALUE}.")
    int retireMillis;

    @Option(names = "--fanout", paramLabel = "ID[:MODE]", converter = FanoutConverter.class,
        description = "afpacket: join PACKET_FANOUT group ID (0..65535) so that several captures, each with its own"
            + " ring and CPU, share the interface's packets; MODE hash (each flow whole in one ring; the default),"
            + " lb (round-robin), cpu, qm (by receive queue), rollover or rnd. Needs --source afpacket.")
    FanoutGroup fanout;

    @Option(names = "--netns", paramLabel = "NAME",
        description = "Capture on an interface of the network namespace NAME (as 'ip netns exec NAME' would, but"
            + " staying in this mount namespace, so that 'ringcap filter --netns NAME' finds the afxdp filter).")
    String namespace;

    @Option(names = "--json", description = "Status lines as JSON objects, one per line.")
    boolean json;

    @Mixin
    MetricsOptions metrics;

    private Optional<MetricsAddress> metricsAddress;

    @Override
    public Integer call() throws Exception {
        HardwareTimestamping timestamping = timestamping();
        PacketRingGeometry geometry = geometry();
        AfXdpConfig xdpConfig = xdpConfig();
        enterNamespace();
        checkArguments();
        metricsAddress = metrics.address(spec);
        PrintWriter err = spec.commandLine().getErr();
        boolean automatic = source == Source.auto;
        if (automatic) {
            source = chooseSource(err);
        }
        checkPrivilege(timestamping);
        UnixUser target = user == null ? null : lookUpUser();
        boolean created = createRingIfAbsent(err);

        PacketSource opened = null;
        CaptureLoop loop;
        try {
            opened = open(timestamping, geometry, xdpConfig, automatic, err);
            loop = new CaptureLoop(opened, RingWriter.open(ring, opened.timestampSource(), opened.description()),
                IdleStrategy.named(idle.name(), opened.parkedBatch()), cpu, CaptureLoop.DEFAULT_POLL_LIMIT);
        } catch (RuntimeException e) {
            if (opened != null) {
                opened.close();
            }
            if (created) {
                // A capture that never started leaves nothing behind.
                try {
                    Files.deleteIfExists(ring);
                } catch (java.io.IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        opened.warnings().forEach(warning -> warn(err, warning));
        try {
            loop.lockMemory();
        } catch (CaptureException e) {
            warn(err, e.getMessage());
        }
        if (target != null) {
            opened.entrustCloseTo(target);
            become(target);
        } else if (Capabilities.ofCurrentThread().effective() != 0) {
            warn(err, "the capture keeps its capabilities while it runs: --user nobody (or another user) gives them"
                + " all up, on every thread, once set-up is done");
        }
        CountDownLatch reported = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("ringcap-capture-stop").unstarted(() -> {
            loop.stop();
            try {
                reported.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        loop.start();
        err.printf("ringcap: capturing %s into %s (capture thread %d%s); stop with Ctrl-C%n", opened.description(), ring,
            loop.captureThreadId(), cpu >= 0 ? " on CPU " + cpu : "");
        err.flush();
        try {
            reportUntilStopped(loop, opened, err);
        } finally {
            reported.countDown();
        }
        return 0;
    }

    private void reportUntilStopped(CaptureLoop loop, PacketSource opened, PrintWriter err) throws InterruptedException {
        try (RingFile view = RingFile.openForReading(ring);
             MetricsEndpoint endpoint = metricsAddress.map(a -> MetricsEndpoint.forCapture(a, ring, view.header()))
                 .orElse(null)) {
            RingHeader header = view.header();
            if (endpoint != null) {
                err.println("ringcap: metrics at http://" + metricsAddress.get().withPort(endpoint.port()) + "/metrics");
            }
            long startRecords = header.recordsWritten();
            long startDrops = header.sourceDrops();
            long lastRecords = startRecords;
            long lastBytes = header.bytesWritten();
            long lastDrops = startDrops;
            long lastTime = System.nanoTime();
            long startTime = lastTime;
            while (true) {
                boolean stopped;
                try {
                    stopped = loop.awaitStopped(Duration.ofSeconds(1));
                } catch (CaptureException e) {
                    throw new CommandFailure("capture stopped: " + e.getMessage());
                }
                long now = System.nanoTime();
                long records = header.recordsWritten();
                long bytes = header.bytesWritten();
                long drops = header.sourceDrops();
                double seconds = (now - lastTime) / 1e9;
                status(err, stopped, (records - lastRecords) / seconds, (bytes - lastBytes) * 8 / seconds / 1e6,
                    records - startRecords, drops - startDrops, drops - lastDrops);
                if (stopped) {
                    if (opened instanceof AfXdpSource afxdp) {
                        wakeUps(err, afxdp.wakeups(), (now - startTime) / 1e9);
                    }
                    return;
                }
                lastRecords = records;
                lastBytes = bytes;
                lastDrops = drops;
                lastTime = now;
            }
        }
    }

    private void status(PrintWriter err, boolean last, double packetsPerSecond, double megabits, long captured,
        long drops, long newDrops) {
        if (json) {
            ObjectNode line = JSON.createObjectNode();
            line.put("time", UtcTime.format(System.currentTimeMillis() * 1_000_000L));
            line.put("pps", Math.round(packetsPerSecond));
            line.put("mbit_per_s", Math.round(megabits * 1000) / 1000.0);
            line.put("captured", captured);
            line.put("drops", drops);
            line.put("new_drops", newDrops);
            line.put("stopped", last);
            err.println(line);
        } else {
            err.printf(Locale.ROOT, "ringcap: %s%,.0f pps  %.1f Mbit/s  captured %,d  drops %,d%s%n",
                last ? "stopped: " : "", packetsPerSecond, megabits, captured, drops,
                newDrops > 0 ? " (+" + newDrops + ")" : "");
        }
        err.flush();
    }

    /**
     * The wake-up system calls the afxdp capture made, which the driver asks for when it set XDP_RING_NEED_WAKEUP
     * (its fill ring ran empty); read once the capture thread stopped. See docs/capture.md.
     */
    private void wakeUps(PrintWriter err, long wakeUps, double seconds) {
        if (json) {
            ObjectNode line = JSON.createObjectNode();
            line.put("wakeups", wakeUps);
            line.put("wakeups_per_s", Math.round(wakeUps / seconds * 10) / 10.0);
            err.println(line);
        } else {
            err.printf(Locale.ROOT, "ringcap: %,d wake-up system calls (%.1f/s) asked for by the driver%n", wakeUps,
                wakeUps / seconds);
        }
        err.flush();
    }

    /** {@code 0-3,6}: the CPUs in {@code cpus} as taskset and /sys list them. */
    static String cpuList(BitSet cpus) {
        StringBuilder list = new StringBuilder();
        for (int first = cpus.nextSetBit(0); first >= 0; first = cpus.nextSetBit(cpus.nextClearBit(first))) {
            int last = cpus.nextClearBit(first) - 1;
            list.append(list.isEmpty() ? "" : ",").append(first).append(last > first ? "-" + last : "");
        }
        return list.toString();
    }

    private HardwareTimestamping timestamping() {
        return switch (hardwareTimestamps.toLowerCase(Locale.ROOT)) {
            case "off" -> HardwareTimestamping.OFF;
            case "prefer" -> HardwareTimestamping.PREFER;
            case "require" -> HardwareTimestamping.REQUIRE;
            default -> throw usage("--hw-timestamps '" + hardwareTimestamps + "' is not one of require, prefer, off");
        };
    }

    private PacketRingGeometry geometry() {
        int block = PacketRingGeometry.DEFAULT.blockSize();
        if (blockSize != null) {
            if (blockSize > Integer.MAX_VALUE) {
                throw usage("--block-size " + Sizes.format(blockSize) + " is too large: use e.g. 64k or 1m");
            }
            block = (int) (long) blockSize;
        }
        try {
            return new PacketRingGeometry(block, blocks, PacketRingGeometry.DEFAULT.frameSize(), retireMillis);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private AfXdpConfig xdpConfig() {
        try {
            return new AfXdpConfig(xdpMode, queues == null ? List.of() : queues,
                umemFrames == null ? AfXdpConfig.AUTO_FRAMES : umemFrames, frameSize, true,
                AfXdpConfig.defaultPinDirectory(namespace, interfaceName));
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private static Source chooseSource(PrintWriter err) {
        SourceChoice choice = SourceChoice.ofCurrentThread();
        err.println("ringcap: " + choice);
        err.flush();
        return choice.source();
    }

    /** Moves this thread, and so the threads it starts, into the named network namespace. */
    private void enterNamespace() {
        if (namespace != null) {
            try {
                NetworkNamespace.enterNamed(namespace);
            } catch (LinuxException e) {
                throw usage("--netns " + namespace + ": " + e.getMessage());
            }
        }
    }

    /**
     * What is wrong with the command line, found before anything starts: a usage error (exit 2), but for a ring
     * size the ring refuses, a failure (exit 1) as in {@code ringcap ring create}.
     */
    private void checkArguments() {
        if (size != null && !RingDescriptor.isValidCapacity(size)) {
            throw new CommandFailure(RingDescriptor.invalidCapacity("--size " + Sizes.format(size)));
        }
        BitSet allowedCpus = CpuAffinity.allowedCpus();
        if (cpu < -1 || cpu >= 0 && !allowedCpus.get(cpu)) {
            throw usage("--cpu " + cpu + " is not a CPU this process may use (" + cpuList(allowedCpus) + ")");
        }
        if (fanout != null && source != Source.afpacket) {
            throw usage("--fanout is for the afpacket source: add --source afpacket (for afxdp, --queues shares the"
                + " interface's queues out among captures instead)");
        }
        if (source == Source.udp) {
            groups.stream().filter(MulticastGroup::anyPort).findFirst().ifPresent(group -> {
                throw usage("--group " + group + " has no port, which the udp source needs: give " + group
                    + ":PORT, or use --source afpacket to capture every port");
            });
        }
        try {
            NetworkInterfaces.indexOf(interfaceName);
        } catch (LinuxException e) {
            throw usage("--iface " + interfaceName + ": there is no such interface in this network namespace:"
                + " list them with 'ip link'");
        }
    }

    /** A missing privilege is a runtime failure (exit 1), said before any socket is opened. */
    private void checkPrivilege(HardwareTimestamping timestamping) {
        CapabilitySets capabilities = Capabilities.ofCurrentThread();
        if (source == Source.afxdp && !SourceChoice.mayUseAfXdp(capabilities)) {
            throw new CommandFailure("the afxdp source needs CAP_NET_ADMIN, CAP_BPF and CAP_NET_RAW (to load the XDP"
                + " program and open AF_XDP sockets): run as root, or use --source afpacket (CAP_NET_RAW) or udp");
        }
        if (source == Source.afpacket && !capabilities.hasEffective(CapabilityLayouts.CAP_NET_RAW)) {
            throw new CommandFailure("the afpacket source needs CAP_NET_RAW: run as root, grant it (e.g. 'setcap"
                + " cap_net_raw,cap_ipc_lock+ep' on the java binary), or use --source udp, which needs no privilege");
        }
        if (timestamping != HardwareTimestamping.OFF && !capabilities.hasEffective(CapabilityLayouts.CAP_NET_ADMIN)) {
            throw new CommandFailure("--hw-timestamps needs CAP_NET_ADMIN to switch the NIC's timestamping on: run"
                + " as root or without --hw-timestamps");
        }
        if (user != null && !capabilities.hasEffective(CapabilityLayouts.CAP_SETUID)) {
            throw new CommandFailure("--user " + user + " needs to start as root (CAP_SETUID, CAP_SETGID)");
        }
    }

    private UnixUser lookUpUser() {
        try {
            return UnixUser.lookup(user);
        } catch (IllegalArgumentException e) {
            throw usage("--user: " + e.getMessage());
        }
    }

    /** Creates the ring unless it exists; returns whether it did. */
    private boolean createRingIfAbsent(PrintWriter err) {
        if (Files.exists(ring)) {
            if (size != null) {
                warn(err, ring + " exists: capturing into it as it is (--size applies only to a new ring)");
            }
            return false;
        }
        RingFile.create(ring, size == null ? DEFAULT_RING_SIZE : size, false).close();
        err.println("ringcap: created ring " + ring + " of " + Sizes.format(size == null ? DEFAULT_RING_SIZE : size));
        return true;
    }

    private PacketSource open(HardwareTimestamping timestamping, PacketRingGeometry geometry, AfXdpConfig xdpConfig,
        boolean automatic, PrintWriter err) {
        if (source == Source.afxdp && automatic) {
            try {
                return openAfXdp(timestamping, xdpConfig);
            } catch (CaptureException | LinuxException e) {
                err.println("ringcap: source afpacket: afxdp could not be set up (" + e.getMessage() + ")");
                source = Source.afpacket;
            }
        }
        try {
            return switch (source) {
                case auto, afxdp -> openAfXdp(timestamping, xdpConfig);
                case afpacket -> openAfPacket(timestamping, geometry);
                case udp -> UdpSource.open(interfaceName, groups, timestamping);
            };
        } catch (CaptureException | LinuxException | IllegalArgumentException e) {
            throw new CommandFailure(e.getMessage());
        }
    }

    private AfPacketSource openAfPacket(HardwareTimestamping timestamping, PacketRingGeometry geometry) {
        AfPacketSource opened = AfPacketSource.open(interfaceName, groups, geometry, timestamping);
        if (fanout != null) {
            try {
                opened.joinFanout(fanout);
            } catch (RuntimeException e) {
                opened.close();
                throw e;
            }
        }
        return opened;
    }

    private AfXdpSource openAfXdp(HardwareTimestamping timestamping, AfXdpConfig xdpConfig) {
        AfXdpSource opened = AfXdpSource.open(interfaceName, groups, List.of(), xdpConfig);
        if (timestamping == HardwareTimestamping.REQUIRE && !opened.asksNicForTimestamps()) {
            opened.close();
            throw new CaptureException("--hw-timestamps=require: the XDP program on " + interfaceName + " cannot ask"
                + " the NIC for timestamps (the driver has no rx-timestamp kfunc in native mode): use"
                + " --hw-timestamps=prefer, or --source afpacket with a NIC that timestamps");
        }
        return opened;
    }

    private static void become(UnixUser target) {
        try {
            target.become();
        } catch (CaptureException e) {
            throw new CommandFailure(e.getMessage());
        }
    }

    private static void warn(PrintWriter err, String message) {
        err.println("ringcap: warning: " + message);
        err.flush();
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** Reads {@code 7} or {@code 7:lb}; a bad one is a usage error that says what is wrong with it. */
    static final class FanoutConverter implements ITypeConverter<FanoutGroup> {
        @Override
        public FanoutGroup convert(String value) {
            try {
                return FanoutGroup.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** Reads {@code 239.1.1.1:5000}; a bad group is a usage error that says what is wrong with it. */
    static final class GroupConverter implements ITypeConverter<MulticastGroup> {
        @Override
        public MulticastGroup convert(String value) {
            try {
                return MulticastGroup.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
