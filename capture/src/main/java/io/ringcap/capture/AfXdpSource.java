package io.ringcap.capture;

import io.ringcap.linux.Bpf;
import io.ringcap.linux.BpfFileSystem;
import io.ringcap.linux.BpfLayouts;
import io.ringcap.linux.Clocks;
import io.ringcap.linux.LinuxException;
import io.ringcap.linux.NetworkInterfaces;
import io.ringcap.linux.Sockets;
import io.ringcap.ring.RingWriter;
import io.ringcap.ring.TimestampSource;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Source {@code afxdp}: ringcap's own XDP program ({@link XdpFilterProgram}) on the interface picks the
 * configured UDP destinations out of the traffic before the network stack sees it and redirects them to
 * one AF_XDP socket per receive queue ({@link XskSocket}); everything else goes on to the kernel untouched.
 * The program is attached through a BPF link, so it leaves the interface with the process. Its filter
 * ({@link XdpFilterTable}) is pinned in the BPF file system, where {@code ringcap filter} changes it while
 * capture runs.
 *
 * <p>Timestamps come from the packet's metadata: the NIC's clock where the driver gives it to XDP, else
 * {@code bpf_ktime_get_tai_ns()} taken by the program, turned into UTC here with the kernel's TAI offset.
 */
public final class AfXdpSource implements PacketSource {
    private static final int SOCKET_MAP_MIN_ENTRIES = 64;

    private final XskSocket[] sockets;
    private final XdpFilterTable filter;
    private final int socketMapFd;
    private final XdpAttachment attachment;
    private final GroupMembership membership;
    /** Opened by the constructor, on the thread that opens the source: in the interface's network namespace. */
    private final InterfaceStatistics interfaceStatistics;
    private final String description;
    private final List<String> warnings;
    private volatile long taiOffsetNanos;
    private long matched;
    private boolean filterUnreadable;
    private int next;

    private AfXdpSource(String interfaceName, XskSocket[] sockets, XdpFilterTable filter, int socketMapFd,
        XdpAttachment attachment, GroupMembership membership, String description, List<String> warnings) {
        this.sockets = sockets;
        this.filter = filter;
        this.socketMapFd = socketMapFd;
        this.attachment = attachment;
        this.membership = membership;
        this.description = description;
        this.warnings = List.copyOf(warnings);
        this.taiOffsetNanos = Clocks.taiOffsetSeconds() * 1_000_000_000L;
        this.interfaceStatistics = InterfaceStatistics.open(interfaceName);
    }

    /**
     * Sets up capture of {@code groups} (joined on the interface) and any further {@code rules} on
     * {@code interfaceName}. Needs CAP_NET_ADMIN, CAP_BPF and CAP_NET_RAW (root), and CAP_SYS_ADMIN where the
     * BPF file system must be mounted first.
     *
     * @throws CaptureException if the interface does not exist, privilege is missing, or the kernel refuses
     */
    public static AfXdpSource open(String interfaceName, List<MulticastGroup> groups, List<FilterRule> rules,
        AfXdpConfig config) {
        if (groups.isEmpty() && rules.isEmpty()) {
            throw new IllegalArgumentException("afxdp needs at least one group or filter rule");
        }
        int interfaceIndex = AfPacketSource.interfaceIndex(interfaceName);
        List<String> warnings = new ArrayList<>();
        List<Integer> queues = config.queues().isEmpty() ? receiveQueues(interfaceName, warnings) : config.queues();
        Path pinDirectory = config.pinDirectoryFor(interfaceName);
        // Compiled before the program is attached, so the first second of a fast feed finds the loop ready.
        ReceiveLoopWarmUp.afxdpOnce();
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            mountBpfFileSystem(pinDirectory);
            XdpFilterTable filter = XdpFilterTable.create(pinDirectory);
            opened.add(filter::unpin);
            opened.add(filter);
            for (MulticastGroup group : groups) {
                filter.add(FilterRule.of(group));
            }
            for (FilterRule rule : rules) {
                filter.add(rule);
            }
            int maxQueue = queues.stream().mapToInt(Integer::intValue).max().orElse(0);
            int socketMap = Bpf.createMap(BpfLayouts.BPF_MAP_TYPE_XSKMAP, 4, 4,
                Math.max(SOCKET_MAP_MIN_ENTRIES, maxQueue + 1), 0, "ringcap_xsks");
            opened.add(() -> Sockets.close(socketMap));
            XskSocket[] sockets = new XskSocket[queues.size()];
            for (int i = 0; i < sockets.length; i++) {
                sockets[i] = XskSocket.open(interfaceName, interfaceIndex, queues.get(i),
                    config.framesPerQueue(queues.size()),
                    config.frameSize(), config.hugePages(), warnings);
                opened.add(sockets[i]);
            }
            XdpAttachment attachment = XdpAttachment.attach(interfaceName, interfaceIndex, config.mode(), filter.fd(),
                socketMap, warnings);
            opened.add(attachment);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment key = arena.allocate(JAVA_INT);
                MemorySegment value = arena.allocate(JAVA_INT);
                for (XskSocket socket : sockets) {
                    key.set(JAVA_INT, 0, socket.queue);
                    value.set(JAVA_INT, 0, socket.fd);
                    Bpf.updateElement(socketMap, key, value, BpfLayouts.BPF_ANY);
                }
            }
            GroupMembership membership = GroupMembership.join(interfaceName, interfaceIndex, groups);
            String description = "afxdp " + interfaceName + " " + attachment.mode.name().toLowerCase() + " mode "
                + (sockets.length > 0 && sockets[0].zeroCopy ? "zero-copy" : "copy") + " queues "
                + queues.stream().map(String::valueOf).collect(Collectors.joining(",")) + " "
                + (attachment.asksNicForTimestamps ? "NIC timestamps else TAI" : "TAI timestamps") + ", "
                + Stream.concat(groups.stream().map(FilterRule::of), rules.stream()).map(FilterRule::toString)
                    .collect(Collectors.joining(" "));
            return new AfXdpSource(interfaceName, sockets, filter, socketMap, attachment, membership, description,
                warnings);
        } catch (RuntimeException e) {
            closeAll(opened);
            if (e instanceof LinuxException linux) {
                throw new CaptureException("cannot set up afxdp capture on " + interfaceName + ": " + linux.getMessage(),
                    linux);
            }
            throw e;
        }
    }

    @Override
    public int poll(RingWriter writer, int limit) {
        XskSocket[] sockets = this.sockets;
        long taiOffset = taiOffsetNanos;
        int moved = 0;
        // Round-robin start, so that a busy queue cannot starve the others.
        int start = next;
        for (int i = 0; i < sockets.length && moved < limit; i++) {
            int index = start + i;
            if (index >= sockets.length) {
                index -= sockets.length;
            }
            moved += sockets[index].poll(writer, limit - moved, taiOffset);
        }
        next = start + 1 == sockets.length ? 0 : start + 1;
        return moved;
    }

    /**
     * Matched by the XDP filter (received) and dropped by the kernel's AF_XDP rings; refreshes the TAI offset.
     * Without CAP_BPF (after {@code --user}) the matched count can no longer be read and stays as it was.
     */
    @Override
    public synchronized SourceCounters counters() {
        taiOffsetNanos = Clocks.taiOffsetSeconds() * 1_000_000_000L;
        long dropped = 0;
        for (XskSocket socket : sockets) {
            dropped += socket.kernelDrops();
        }
        if (!filterUnreadable) {
            try {
                matched = filter.packetsMatched();
            } catch (LinuxException e) {
                // After --user gave up CAP_BPF the map cannot be read: the count stays where it was.
                filterUnreadable = true;
            }
        }
        return new SourceCounters(matched, dropped);
    }

    @Override
    public SourceCounters interfaceCounters() {
        return interfaceStatistics == null ? null : interfaceStatistics.read();
    }

    @Override
    public TimestampSource timestampSource() {
        return TimestampSource.XDP_TAI;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public List<MemorySegment> hotMemory() {
        List<MemorySegment> memory = new ArrayList<>();
        for (XskSocket socket : sockets) {
            memory.addAll(socket.memory());
        }
        return memory;
    }

    @Override
    public List<String> warnings() {
        return warnings;
    }

    /**
     * Hands the filter's pin directory to {@code user}, so that the process can still remove the pin when it
     * stops after becoming that user. The XDP link and the sockets need nothing: closing them takes no privilege.
     */
    @Override
    public void entrustCloseTo(UnixUser user) {
        filter.entrustPinTo(user.uid(), user.gid());
    }

    /** Where the XDP program runs. */
    public XdpMode mode() {
        return attachment.mode;
    }

    /** Whether the program asks the NIC for each packet's hardware timestamp. */
    public boolean asksNicForTimestamps() {
        return attachment.asksNicForTimestamps;
    }

    /** Whether the sockets run in zero-copy mode. */
    public boolean zeroCopy() {
        return sockets[0].zeroCopy;
    }

    /** The pinned filter, for changing what is captured from this process. */
    public XdpFilterTable filter() {
        return filter;
    }

    /** Wake-up system calls the drivers asked for so far, over every socket; read it after the loop stopped. */
    public long wakeups() {
        long wakeups = 0;
        for (XskSocket socket : sockets) {
            wakeups += socket.wakeups();
        }
        return wakeups;
    }

    /** Detaches the program, closes the sockets, unpins the filter and leaves the groups. */
    @Override
    public synchronized void close() {
        List<AutoCloseable> parts = new ArrayList<>();
        parts.add(filter::unpin);
        parts.add(filter);
        parts.add(() -> Sockets.close(socketMapFd));
        parts.addAll(List.of(sockets));
        parts.add(attachment);
        parts.add(membership);
        if (interfaceStatistics != null) {
            parts.add(interfaceStatistics);
        }
        closeAll(parts);
    }

    /** Closes each, last opened first, the first failure thrown after all were tried. */
    private static void closeAll(List<AutoCloseable> parts) {
        RuntimeException first = null;
        for (AutoCloseable part : parts.reversed()) {
            try {
                part.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e instanceof RuntimeException runtime ? runtime : new CaptureException(e.getMessage(), e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Queue numbers from /sys/class/net/IF/queues/rx-N; queue 0 alone when sysfs does not show the interface. */
    /**
     * Every receive queue of the interface: counted with ETHTOOL_GCHANNELS, which answers for the calling thread's
     * network namespace (sysfs shows the namespace it was mounted in, so it cannot list the queues of an
     * interface reached with {@code --netns}); for a driver that does not report channels, listed in sysfs.
     */
    private static List<Integer> receiveQueues(String interfaceName, List<String> warnings) {
        try {
            int count = NetworkInterfaces.receiveQueueCount(interfaceName);
            if (count > 0) {
                return IntStream.range(0, count).boxed().toList();
            }
        } catch (LinuxException e) {
            // below: the driver has no channel count
        }
        Path directory = Path.of("/sys/class/net", interfaceName, "queues");
        try (Stream<Path> entries = Files.list(directory)) {
            List<Integer> queues = entries.map(path -> path.getFileName().toString())
                .filter(name -> name.startsWith("rx-"))
                .map(name -> Integer.parseInt(name.substring(3)))
                .sorted()
                .toList();
            if (!queues.isEmpty()) {
                return queues;
            }
        } catch (IOException | NumberFormatException e) {
            // below: an unusual driver
        }
        warnings.add("cannot count the receive queues of " + interfaceName + " (no ethtool channels, nothing in "
            + directory + "): capturing queue 0 only (name them with --queues)");
        return List.of(0);
    }

    private static void mountBpfFileSystem(Path pinDirectory) {
        try {
            BpfFileSystem.ensureMounted(Path.of(BpfFileSystem.DEFAULT_MOUNT), pinDirectory);
        } catch (LinuxException e) {
            throw new CaptureException("cannot mount the BPF file system at " + BpfFileSystem.DEFAULT_MOUNT
                + " for the filter: " + e.getMessage(), e);
        }
    }
}
