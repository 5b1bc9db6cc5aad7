package io.ringcap.record;

import io.ringcap.ring.RingReader;

import java.nio.file.Path;

/**
 * How a {@link Recorder} records.
 *
 * @param ring        the ring file to read.
 * @param directory   where the recordings go (created if missing).
 * @param rotateBytes start a new file once the current one has this many bytes; 0 for no size limit.
 * @param rotateNanos start a new file once the current one spans this much time; 0 for no time limit.
 * @param fsync       when to force data to the disk.
 * @param direct      write with O_DIRECT, bypassing the page cache.
 * @param bufferBytes bytes buffered per write to the file (at least 128 KiB).
 * @param start       where to start in the ring when the directory has no recorder state to resume from.
 * @param untilClosed stop once the ring's writer has closed it and everything was recorded.
 */
public record RecorderOptions(Path ring, Path directory, long rotateBytes, long rotateNanos, FsyncPolicy fsync,
    boolean direct, int bufferBytes, RingReader.Start start, boolean untilClosed) {

    public static final int DEFAULT_BUFFER_BYTES = 4 << 20;

    public RecorderOptions {
        if (rotateBytes < 0 || rotateNanos < 0) {
            throw new IllegalArgumentException("rotation limits must not be negative");
        }
        if (bufferBytes < io.ringcap.pcap.PcapngWriter.MIN_BUFFER_CAPACITY) {
            throw new IllegalArgumentException("a buffer of " + bufferBytes + " bytes is below the minimum of "
                + io.ringcap.pcap.PcapngWriter.MIN_BUFFER_CAPACITY);
        }
    }

    /** Records {@code ring} into {@code directory}: 1 GiB files, no fsync, buffered writes, from the oldest record. */
    public static RecorderOptions of(Path ring, Path directory) {
        return new RecorderOptions(ring, directory, 1L << 30, 0, FsyncPolicy.NONE, false, DEFAULT_BUFFER_BYTES,
            RingReader.Start.OLDEST, false);
    }

    public RecorderOptions withRotation(long bytes, long nanos) {
        return new RecorderOptions(ring, directory, bytes, nanos, fsync, direct, bufferBytes, start, untilClosed);
    }

    public RecorderOptions withFsync(FsyncPolicy policy) {
        return new RecorderOptions(ring, directory, rotateBytes, rotateNanos, policy, direct, bufferBytes, start,
            untilClosed);
    }

    public RecorderOptions withDirect(boolean on) {
        return new RecorderOptions(ring, directory, rotateBytes, rotateNanos, fsync, on, bufferBytes, start, untilClosed);
    }

    public RecorderOptions withBufferBytes(int bytes) {
        return new RecorderOptions(ring, directory, rotateBytes, rotateNanos, fsync, direct, bytes, start, untilClosed);
    }

    public RecorderOptions withStart(RingReader.Start where) {
        return new RecorderOptions(ring, directory, rotateBytes, rotateNanos, fsync, direct, bufferBytes, where,
            untilClosed);
    }

    public RecorderOptions withUntilClosed(boolean on) {
        return new RecorderOptions(ring, directory, rotateBytes, rotateNanos, fsync, direct, bufferBytes, start, on);
    }
}
