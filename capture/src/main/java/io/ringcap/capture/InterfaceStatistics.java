package io.ringcap.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * An interface's own receive counters, from {@code /proc/thread-self/net/dev} opened in the network namespace
 * of the interface (the file keeps the namespace it was opened in, so a thread elsewhere can read it later):
 * every packet the interface received and what its driver or NIC dropped ({@code drop}, which includes
 * {@code rx_missed_errors}, plus {@code fifo}), counted from when this was opened. The stage before the
 * capture source in loss accounting; read on the housekeeping thread, never the capture thread.
 */
final class InterfaceStatistics implements AutoCloseable {
    private static final Path NET_DEV = Path.of("/proc/thread-self/net/dev");
    private static final int RECEIVE_PACKETS = 1;
    private static final int RECEIVE_DROP = 3;
    private static final int RECEIVE_FIFO = 4;

    private static final int BUFFER_BYTES = 64 * 1024;

    private final byte[] interfaceName;
    private final FileChannel file;
    private final ByteBuffer buffer;
    private final long receivedAtStart;
    private final long droppedAtStart;

    private InterfaceStatistics(byte[] interfaceName, FileChannel file, ByteBuffer buffer, SourceCounters start) {
        this.interfaceName = interfaceName;
        this.file = file;
        this.buffer = buffer;
        this.receivedAtStart = start.received();
        this.droppedAtStart = start.dropped();
    }

    /**
     * Opens the counters of {@code interfaceName} in the calling thread's network namespace, or returns null
     * where they cannot be read (no procfs, or the interface is not listed there).
     */
    static InterfaceStatistics open(String interfaceName) {
        try {
            FileChannel file = FileChannel.open(NET_DEV, StandardOpenOption.READ);
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
            byte[] name = interfaceName.getBytes(StandardCharsets.US_ASCII);
            SourceCounters start = parse(buffer.array(), read(file, buffer), name);
            if (start == null) {
                file.close();
                return null;
            }
            return new InterfaceStatistics(name, file, buffer, start);
        } catch (IOException e) {
            return null;
        }
    }

    /** Received and dropped since {@link #open}, or null if the interface has gone from the file. */
    synchronized SourceCounters read() {
        try {
            SourceCounters now = parse(buffer.array(), read(file, buffer), interfaceName);
            return now == null ? null
                : new SourceCounters(now.received() - receivedAtStart, now.dropped() - droppedAtStart);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public synchronized void close() {
        try {
            file.close();
        } catch (IOException e) {
            // nothing to do about a procfs file that will not close
        }
    }

    /**
     * The receive packet count and drop + fifo count of {@code interfaceName} in the first {@code length} bytes
     * of the text of /proc/net/dev ({@code "  eth0: bytes packets errs drop fifo frame compressed multicast |
     * transmit..."}), or null if the interface is not there or its line is not of that form. Scanned in place:
     * the housekeeping thread reads the file for as long as the capture runs, and splitting it into strings
     * with a regular expression cost more CPU than the capture thread's own work at 100k packets/s.
     */
    static SourceCounters parse(byte[] text, int length, byte[] interfaceName) {
        int lineStart = 0;
        while (lineStart < length) {
            int lineEnd = lineStart;
            while (lineEnd < length && text[lineEnd] != '\n') {
                lineEnd++;
            }
            int colon = indexOf(text, lineStart, lineEnd, (byte) ':');
            if (colon >= 0 && nameIs(text, lineStart, colon, interfaceName)) {
                return counters(text, colon + 1, lineEnd);
            }
            lineStart = lineEnd + 1;
        }
        return null;
    }

    /** Fields 1 (packets), 3 (drop) and 4 (fifo) of the blank-separated decimal fields in {@code text[from, to)}. */
    private static SourceCounters counters(byte[] text, int from, int to) {
        long packets = -1;
        long dropped = 0;
        int field = 0;
        int i = from;
        while (field <= RECEIVE_FIFO) {
            while (i < to && (text[i] == ' ' || text[i] == '\t')) {
                i++;
            }
            if (i == to) {
                return null;
            }
            long value = 0;
            int digitsFrom = i;
            while (i < to && text[i] >= '0' && text[i] <= '9') {
                value = value * 10 + (text[i] - '0');
                if (value < 0 || i - digitsFrom >= 19) {
                    return null;
                }
                i++;
            }
            if (i == digitsFrom || (i < to && text[i] != ' ' && text[i] != '\t')) {
                return null;
            }
            if (field == RECEIVE_PACKETS) {
                packets = value;
            } else if (field == RECEIVE_DROP || field == RECEIVE_FIFO) {
                dropped += value;
            }
            field++;
        }
        return new SourceCounters(packets, dropped);
    }

    private static boolean nameIs(byte[] text, int from, int to, byte[] name) {
        while (from < to && (text[from] == ' ' || text[from] == '\t')) {
            from++;
        }
        while (to > from && (text[to - 1] == ' ' || text[to - 1] == '\t')) {
            to--;
        }
        return Arrays.equals(text, from, to, name, 0, name.length);
    }

    private static int indexOf(byte[] text, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (text[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** Reads the whole file into {@code buffer} and returns how many bytes it holds. */
    private static int read(FileChannel file, ByteBuffer buffer) throws IOException {
        buffer.clear();
        long position = 0;
        int n;
        // A procfs file is generated anew when read from offset 0.
        while (buffer.hasRemaining() && (n = file.read(buffer, position)) > 0) {
            position += n;
        }
        return buffer.position();
    }
}
