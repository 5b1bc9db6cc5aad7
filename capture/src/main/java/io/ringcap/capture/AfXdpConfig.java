package io.ringcap.capture;

import io.ringcap.linux.BpfFileSystem;

import java.nio.file.Path;
import java.util.List;

/**
 * How an {@link AfXdpSource} is set up.
 *
 * @param mode          where the XDP program runs
 * @param queues        the receive queues to take packets from, one AF_XDP socket each; empty for all of them
 * @param frames        UMEM frames (and fill/RX ring entries) per socket, a power of two
 * @param frameSize     bytes per UMEM frame: 2048 or 4096 (the largest frame is this less 256 bytes of headroom)
 * @param hugePages     put each UMEM in huge pages when the pool has them
 * @param pinDirectory  where the filter map is pinned for {@code ringcap filter}; null for
 *                      {@code /sys/fs/bpf/ringcap/<interface>}
 */
public record AfXdpConfig(XdpMode mode, List<Integer> queues, int frames, int frameSize, boolean hugePages,
                          Path pinDirectory) {
    /**
     * Native mode where possible, every queue, 65536 frames of 2 KiB per socket (128 MiB: frames up to 1792
     * bytes, 440 ms of 150 kpps while the capture thread is held up), huge pages if any. A JVM capture thread
     * can be held up for 100-300 ms while its code is compiled or recompiled; the UMEM must cover that.
     */
    public static final AfXdpConfig DEFAULT = new AfXdpConfig(XdpMode.AUTO, List.of(), 65536, 2048, true, null);

    public AfXdpConfig {
        if (frames < 64 || Integer.bitCount(frames) != 1) {
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

    /** The pin directory for a capture on {@code interfaceName}. */
    public Path pinDirectoryFor(String interfaceName) {
        return pinDirectory != null ? pinDirectory : defaultPinDirectory(interfaceName);
    }

    /** {@code /sys/fs/bpf/ringcap/<interface>}: where {@code ringcap filter --iface} looks. */
    public static Path defaultPinDirectory(String interfaceName) {
        return Path.of(BpfFileSystem.DEFAULT_MOUNT, "ringcap", interfaceName);
    }

    /**
     * {@code /sys/fs/bpf/ringcap/<namespace>/<interface>} for an interface of the named network namespace
     * {@code namespace}, or the directory above for null: interfaces of different namespaces may share a name.
     */
    public static Path defaultPinDirectory(String namespace, String interfaceName) {
        return namespace == null ? defaultPinDirectory(interfaceName)
            : Path.of(BpfFileSystem.DEFAULT_MOUNT, "ringcap", namespace, interfaceName);
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
