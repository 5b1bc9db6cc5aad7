package io.ringcap.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

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

    private final String interfaceName;
    private final FileChannel file;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private final long receivedAtStart;
    private final long droppedAtStart;

    private InterfaceStatistics(String interfaceName, FileChannel file, SourceCounters start) {
        this.interfaceName = interfaceName;
        this.file = file;
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
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            SourceCounters start = parse(read(file, buffer), interfaceName);
            if (start == null) {
                file.close();
                return null;
            }
            return new InterfaceStatistics(interfaceName, file, start);
        } catch (IOException e) {
            return null;
        }
    }

    /** Received and dropped since {@link #open}, or null if the interface has gone from the file. */
    synchronized SourceCounters read() {
        try {
            SourceCounters now = parse(read(file, buffer), interfaceName);
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
     * The receive packet count and drop + fifo count of {@code interfaceName} in the text of /proc/net/dev
     * ({@code "  eth0: bytes packets errs drop fifo frame compressed multicast | transmit..."}), or null if
     * the interface is not there or its line is not of that form.
     */
    static SourceCounters parse(String text, String interfaceName) {
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0 || !line.substring(0, colon).strip().equals(interfaceName)) {
                continue;
            }
            String[] fields = line.substring(colon + 1).strip().split("\\s+");
            if (fields.length <= RECEIVE_FIFO) {
                return null;
            }
            try {
                long packets = Long.parseLong(fields[RECEIVE_PACKETS]);
                long dropped = Long.parseLong(fields[RECEIVE_DROP]) + Long.parseLong(fields[RECEIVE_FIFO]);
                return packets < 0 || dropped < 0 ? null : new SourceCounters(packets, dropped);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static String read(FileChannel file, ByteBuffer buffer) throws IOException {
        buffer.clear();
        long position = 0;
        int n;
        // A procfs file is generated anew when read from offset 0.
        while (buffer.hasRemaining() && (n = file.read(buffer, position)) > 0) {
            position += n;
        }
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
    }
}
