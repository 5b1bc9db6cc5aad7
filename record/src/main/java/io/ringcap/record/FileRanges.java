package io.ringcap.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;

/**
 * Reads chosen byte ranges of a file one after the other, as if they were one stream: the context blocks
 * of a pcapng file (its SHB and IDBs) followed by the file from some offset, so a reader can start in the
 * middle of a recording and still know its interfaces. The channel stays the caller's.
 */
final class FileRanges implements ReadableByteChannel {
    private final FileChannel file;
    private final long[] ranges;
    private int range;
    private long done;

    /** {@code ranges} holds (offset, length) pairs in the order they are to be read. */
    FileRanges(FileChannel file, long[] ranges) {
        this.file = file;
        this.ranges = ranges;
    }

    @Override
    public int read(ByteBuffer destination) throws IOException {
        while (range < ranges.length && done == ranges[range + 1]) {
            range += 2;
            done = 0;
        }
        if (range >= ranges.length) {
            return -1;
        }
        long left = ranges[range + 1] - done;
        int limit = destination.limit();
        if (destination.remaining() > left) {
            destination.limit(destination.position() + (int) left);
        }
        try {
            int read = file.read(destination, ranges[range] + done);
            if (read < 0) {
                return -1;
            }
            done += read;
            return read;
        } finally {
            destination.limit(limit);
        }
    }

    @Override
    public boolean isOpen() {
        return file.isOpen();
    }

    @Override
    public void close() {
        // The file is the caller's.
    }
}
