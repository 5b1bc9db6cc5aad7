package io.ringcap.ring;

import java.nio.file.Path;

/**
 * Layout of a reader status file: how a reader of a ring announces itself and its counters to
 * {@code ringcap status} and {@code ringcap top} without write access to the ring. Each reader process owns
 * one small file beside the ring, {@code <ring>.readers/<name>-<pid>.status}, created complete (written under
 * a hidden name, then renamed) and then updated in place through a shared mapping about once a second. All
 * fields are in native byte order. For a ring on hugetlbfs, where every mapped file takes a whole huge page,
 * the directory is in /dev/shm instead (see {@link #directory}).
 *
 * <pre>
 *   0 +---------------------------------------------------------------+
 *     | magic "RCREADER" (long)                                       |
 *   8 +-------------------------------+-------------------------------+
 *     | format version (int)          | flags (int): RECORDER         |
 *  16 +---------------------------------------------------------------+
 *     | pid (long)                                                    |
 *  24 +---------------------------------------------------------------+
 *     | process start time, ms since the Unix epoch (long)           |
 *  32 +---------------------------------------------------------------+
 *     | reader start time, ns since the Unix epoch (long)            |
 *  40 +---------------------------------------------------------------+
 *     | creation time of the ring read, ns (long): which ring it was  |
 *  48 +---------------------------------------------------------------+
 *     | change count (long): odd while an update is being written     |
 *  56 +---------------------------------------------------------------+
 *     | last update, ns since the Unix epoch (long)                   |
 *  64 +---------------------------------------------------------------+
 *     | position | records delivered | bytes delivered |              |
 *     | records lost to laps | ring bytes lost to laps | laps (longs) |
 * 112 +---------------------------------------------------------------+
 *     | recorder only: packets written to files | frame bytes written |
 *     | files completed | packets lost to disk | disk errors (longs)  |
 * 152 +-------------------------------+-------------------------------+
 *     | name length (int)             | name, UTF-8 (up to 64 bytes)  |
 * 220 +-------------------------------+-------------------------------+
 *     | reserved                                                      |
 * 256 +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Updates follow a seqlock: the writer makes the change count odd, stores the counters, then makes it even
 * again (release); a reader that sees an odd count, or a different count after reading, reads again.
 */
public final class ReaderStatusDescriptor {
    /** "RCREADER" read as a little-endian long. */
    public static final long MAGIC = 0x52454441_45524352L;
    public static final int FORMAT_VERSION = 1;
    public static final int LENGTH = 256;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 8;
    public static final int FLAGS_OFFSET = 12;
    public static final int PID_OFFSET = 16;
    public static final int PROCESS_START_TIME_OFFSET = 24;
    public static final int START_TIME_OFFSET = 32;
    public static final int RING_CREATION_TIME_OFFSET = 40;
    public static final int CHANGE_COUNT_OFFSET = 48;
    public static final int UPDATE_TIME_OFFSET = 56;
    public static final int POSITION_OFFSET = 64;
    public static final int DELIVERED_RECORDS_OFFSET = 72;
    public static final int DELIVERED_BYTES_OFFSET = 80;
    public static final int LOST_RECORDS_OFFSET = 88;
    public static final int LOST_BYTES_OFFSET = 96;
    public static final int LAPS_OFFSET = 104;
    public static final int RECORDED_PACKETS_OFFSET = 112;
    public static final int RECORDED_BYTES_OFFSET = 120;
    public static final int RECORDED_FILES_OFFSET = 128;
    public static final int LOST_TO_DISK_OFFSET = 136;
    public static final int DISK_ERRORS_OFFSET = 144;
    public static final int NAME_LENGTH_OFFSET = 152;
    public static final int NAME_OFFSET = 156;
    public static final int NAME_MAX_LENGTH = 64;

    /** Flag: the reader is a recorder, and the recorder fields hold its counters. */
    public static final int FLAG_RECORDER = 1;

    /** File name suffix of a status file. */
    public static final String SUFFIX = ".status";

    private ReaderStatusDescriptor() {
    }

    /**
     * The directory of the status files of the readers of {@code ring}: {@code <ring>.readers}; for a ring on
     * hugetlbfs {@code /dev/shm/ringcap<ring path with '/' as '_'>.readers}, e.g.
     * {@code /dev/shm/ringcap_dev_hugepages_eth0.ring.readers}.
     */
    public static Path directory(Path ring) {
        Path absolute = ring.toAbsolutePath().normalize();
        if (Hugetlbfs.mountHolding(absolute).isPresent()) {
            return Path.of("/dev/shm", "ringcap" + absolute.toString().replace('/', '_') + ".readers");
        }
        return absolute.resolveSibling(absolute.getFileName() + ".readers");
    }

    /** The status file of reader {@code name} in process {@code pid}. */
    public static Path file(Path ring, String name, long pid) {
        return directory(ring).resolve(name + "-" + pid + SUFFIX);
    }

    /** Whether {@code name} may name a reader: 1 to 32 of letters, digits, '.', '_' and '-'. */
    public static boolean isValidName(String name) {
        return name.length() >= 1 && name.length() <= 32 && name.chars().allMatch(c ->
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-');
    }
}
