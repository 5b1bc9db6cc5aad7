package io.ringcap.capture;

import io.ringcap.linux.BpfFileSystem;

import java.nio.file.Path;
import java.util.List;

/**
 * How an {@link AfXdpSource} is set up.
 *
 * @param mode          where the XDP program runs
 * @param queues        the receive queues to take packets from, one AF_XDP socket each; empty for all of them
 * @param frames        UMEM frames (and fill/RX ring entries) per socket, a power of two; or {@link #AUTO_FRAMES}
 *                      for {@link #framesPerQueue}
 * @param frameSize     bytes per UMEM frame: 2048 or 4096 (the largest frame is this less 256 bytes of headroom)
 * @param hugePages     put each UMEM in huge pages when the pool has them
 * @param pinDirectory  where the filter map is pinned for {@code ringcap filter}; null for
 *                      {@code /sys/fs/bpf/ringcap/<interface>}
 */
public record AfXdpConfig(XdpMode mode, List<Integer> queues, int frames, int frameSize, boolean hugePages,
                          Path pinDirectory) {
    /** {@code /sys/fs/bpf/ringcap}: under it, a directory per interface (per namespace and interface for --netns). */
    public static final Path PIN_ROOT = Path.of(BpfFileSystem.DEFAULT_MOUNT, "ringcap");

    /** {@code frames} for "as many as {@link #AUTO_UMEM_BYTES} allows": see {@link #framesPerQueue}. */
    public static final int AUTO_FRAMES = 0;
    /** The fewest frames per socket the automatic choice gives. */
    public static final int MIN_AUTO_FRAMES = 65536;
    /**
     * UMEM shared out among the sockets when frames are {@link #AUTO_FRAMES}: 512 MiB, 262144 frames of 2 KiB
     * for one queue (400 ms of 650k packets/s). The UMEM is what covers a capture thread that is held up, and
     * a JVM thread can be held up for 100-400 ms while code is compiled or recompiled on a core it shares:
     * at 650k packets/s on veth, with the whole JVM on one CPU, 65536 frames per queue lost packets (fill ring
     * empty) in about half the runs, 262144 in none of 4.
     */
    public static final long AUTO_UMEM_BYTES = 512L << 20;

    /** Native mode where possible, every queue, UMEM frames of 2 KiB shared out automatically, huge pages if any. */
    public static final AfXdpConfig DEFAULT = new AfXdpConfig(XdpMode.AUTO, List.of(), AUTO_FRAMES, 2048, true, null);

    public AfXdpConfig {
        if (frames != AUTO_FRAMES && (frames < 64 || Integer.bitCount(frames) != 1)) {
            throw new IllegalArgumentException("UMEM frames must be a power of two of at least 64, got " + frames);
        }
        if (frameSize != 2048 && frameSize != 4096) {
            throw new IllegalArgumentException("UMEM frame size must be 2048 or 4096 bytes, got " + frameSize);
        }
        for (int queue : queues) {
            if (queue < 0 || queue > 1023) {
                throw new IllegalArgumentException("queue " + queue + " is outside 0..1023");
            }
        }
        queues = List.copyOf(queues);
    }

    /**
     * UMEM frames for each of {@code sockets} sockets: {@code frames} as given, or for {@link #AUTO_FRAMES}
     * {@link #AUTO_UMEM_BYTES} shared out evenly (rounded down to a power of two), at least
     * {@value #MIN_AUTO_FRAMES}.
     */
    public int framesPerQueue(int sockets) {
        if (frames != AUTO_FRAMES) {
            return frames;
        }
        long share = AUTO_UMEM_BYTES / frameSize / Math.max(1, sockets);
        return (int) Math.max(MIN_AUTO_FRAMES, Long.highestOneBit(share));
    }

    /** The pin directory for a capture on {@code interfaceName}. */
    public Path pinDirectoryFor(String interfaceName) {
        return pinDirectory != null ? pinDirectory : defaultPinDirectory(interfaceName);
    }

    /** {@code /sys/fs/bpf/ringcap/<interface>}: where {@code ringcap filter --iface} looks. */
    public static Path defaultPinDirectory(String interfaceName) {
        return PIN_ROOT.resolve(interfaceName);
    }

    /**
     * {@code /sys/fs/bpf/ringcap/<namespace>/<interface>} for an interface of the named network namespace
     * {@code namespace}, or the directory above for null: interfaces of different namespaces may share a name.
     */
    public static Path defaultPinDirectory(String namespace, String interfaceName) {
        return namespace == null ? defaultPinDirectory(interfaceName)
            : PIN_ROOT.resolve(namespace).resolve(interfaceName);
    }

    /** This configuration with {@code directory} as the pin directory. */
    public AfXdpConfig withPinDirectory(Path directory) {
        return new AfXdpConfig(mode, queues, frames, frameSize, hugePages, directory);
    }

    /** This configuration in {@code xdpMode}. */
    public AfXdpConfig withMode(XdpMode xdpMode) {
        return new AfXdpConfig(xdpMode, queues, frames, frameSize, hugePages, pinDirectory);
    }
}
