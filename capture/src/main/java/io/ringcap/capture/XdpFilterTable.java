package io.ringcap.capture;

import io.ringcap.linux.Bpf;
import io.ringcap.linux.BpfLayouts;
import io.ringcap.linux.Errno;
import io.ringcap.linux.LinuxException;
import io.ringcap.linux.Sockets;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The XDP program's filter: a BPF hash map from UDP destination to match counters, pinned in the BPF file
 * system so that {@code ringcap filter} in another process can change what is captured while capture runs.
 * <pre>
 *   key (8):   | IPv4 address, network order (0 = any) | UDP port, network order (0 = any) | 0 u16 |
 *   value (16):| packets matched u64 | bytes matched u64 |      (added to atomically by the program)
 * </pre>
 */
public final class XdpFilterTable implements AutoCloseable {
    /** File name of the pinned map inside a capture's pin directory. */
    public static final String PIN_NAME = "filter";
    public static final int KEY_SIZE = 8;
    public static final int VALUE_SIZE = 16;
    public static final int VALUE_PACKETS_OFFSET = 0;
    public static final int VALUE_BYTES_OFFSET = 8;
    /** How many rules one capture can hold. */
    public static final int MAX_ENTRIES = 4096;

    private static final ValueLayout.OfInt NET_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort NET_SHORT =
        ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final int fd;
    private final Path pinPath;

    private XdpFilterTable(int fd, Path pinPath) {
        this.fd = fd;
        this.pinPath = pinPath;
    }

    /** One rule and what it matched so far. */
    public record Entry(FilterRule rule, long packets, long bytes) {
    }

    /**
     * Creates the map and pins it at {@code directory/filter}, replacing a pin left behind by a capture that
     * is gone (the map of a killed capture stays pinned until removed).
     */
    public static XdpFilterTable create(Path directory) {
        Path pin = directory.resolve(PIN_NAME);
        int fd = Bpf.createMap(BpfLayouts.BPF_MAP_TYPE_HASH, KEY_SIZE, VALUE_SIZE, MAX_ENTRIES, 0, "ringcap_filter");
        try {
            Files.deleteIfExists(pin);
            Bpf.pin(fd, pin.toString());
        } catch (IOException | RuntimeException e) {
            Sockets.close(fd);
            throw new CaptureException("cannot pin the XDP filter at " + pin + ": " + e.getMessage(), e);
        }
        return new XdpFilterTable(fd, pin);
    }

    /**
     * Opens the filter of a running capture pinned in {@code directory}.
     *
     * @throws CaptureException if nothing is pinned there
     */
    public static XdpFilterTable open(Path directory) {
        Path pin = directory.resolve(PIN_NAME);
        try {
            return new XdpFilterTable(Bpf.openPinned(pin.toString()), pin);
        } catch (LinuxException e) {
            if (e.errno() == Errno.ENOENT) {
                throw new CaptureException("no XDP filter is pinned at " + pin + ": is 'ringcap capture --source"
                    + " afxdp' running on that interface?", e);
            }
            throw new CaptureException("cannot open the XDP filter at " + pin + ": " + e.getMessage(), e);
        }
    }

    /** The map's file descriptor, for the program that uses it. */
    int fd() {
        return fd;
    }

    /** Where the map is pinned. */
    public Path pinPath() {
        return pinPath;
    }

    /** Adds {@code rule} with zero counts; false if it was there already (its counts are kept). */
    public boolean add(FilterRule rule) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = key(arena, rule);
            MemorySegment value = arena.allocate(VALUE_SIZE);
            if (Bpf.lookupElement(fd, key, value)) {
                return false;
            }
            Bpf.updateElement(fd, key, value, BpfLayouts.BPF_NOEXIST);
            return true;
        }
    }

    /** Removes {@code rule}; false if it was not there. */
    public boolean remove(FilterRule rule) {
        try (Arena arena = Arena.ofConfined()) {
            return Bpf.deleteElement(fd, key(arena, rule));
        }
    }

    /** Every rule with its counts, in the map's order. */
    public List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(KEY_SIZE);
            MemorySegment next = arena.allocate(KEY_SIZE);
            MemorySegment value = arena.allocate(VALUE_SIZE);
            MemorySegment previous = MemorySegment.NULL;
            while (Bpf.nextKey(fd, previous, next)) {
                if (Bpf.lookupElement(fd, next, value)) {
                    FilterRule rule = new FilterRule(next.get(NET_INT, 0), Short.toUnsignedInt(next.get(NET_SHORT, 4)));
                    entries.add(new Entry(rule, value.get(JAVA_LONG, VALUE_PACKETS_OFFSET),
                        value.get(JAVA_LONG, VALUE_BYTES_OFFSET)));
                }
                MemorySegment.copy(next, 0, key, 0, KEY_SIZE);
                previous = key;
            }
        }
        return entries;
    }

    /** Packets matched by every rule so far. */
    public long packetsMatched() {
        long packets = 0;
        for (Entry entry : entries()) {
            packets += entry.packets();
        }
        return packets;
    }

    /** Closes this process's descriptor; the pinned map stays until {@link #unpin}. */
    @Override
    public void close() {
        Sockets.close(fd);
    }

    /**
     * Makes {@code uid}:{@code gid} the owner of the pin's directory, so that a process that has become that user
     * can still {@link #unpin}: removing a file takes write access to its directory, not to the file. The pin
     * itself stays root's. While the capture runs, that user could also remove or replace the pin.
     */
    public void entrustPinTo(int uid, int gid) {
        Path directory = pinPath.getParent();
        try {
            Files.setAttribute(directory, "unix:gid", gid);
            Files.setAttribute(directory, "unix:uid", uid);
        } catch (IOException e) {
            throw new CaptureException("cannot give " + directory + " to uid " + uid + " for removing the pinned XDP"
                + " filter at stop: " + e.getMessage(), e);
        }
    }

    /**
     * Removes the pin, so that the map goes away with its last user, and the pin directory with it when
     * nothing else is pinned there; below /sys/fs/bpf/ringcap also the directories above it that are left
     * empty (a namespace's, for {@code --netns}), up to that one.
     */
    public void unpin() {
        try {
            Files.deleteIfExists(pinPath);
            boolean removed = deleteIfEmpty(pinPath.getParent());
            for (Path up = pinPath.getParent().getParent();
                 removed && up != null && up.startsWith(AfXdpConfig.PIN_ROOT) && !up.equals(AfXdpConfig.PIN_ROOT);
                 up = up.getParent()) {
                removed = deleteIfEmpty(up);
            }
        } catch (IOException e) {
            throw new CaptureException("cannot remove the pinned XDP filter " + pinPath + ": " + e.getMessage(), e);
        }
    }

    private static boolean deleteIfEmpty(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return false;
        }
        try (var left = Files.list(directory)) {
            if (left.findAny().isPresent()) {
                return false;
            }
        }
        try {
            return Files.deleteIfExists(directory);
        } catch (AccessDeniedException e) {
            // After --user, a directory under root's: empty, it stays for the next capture.
            return false;
        }
    }

    private static MemorySegment key(Arena arena, FilterRule rule) {
        MemorySegment key = arena.allocate(KEY_SIZE);
        key.set(NET_INT, 0, rule.address());
        key.set(NET_SHORT, 4, (short) rule.port());
        return key;
    }
}
