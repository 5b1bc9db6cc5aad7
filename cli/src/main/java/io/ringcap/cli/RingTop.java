package io.ringcap.cli;

import io.ringcap.record.UdpDestination;
import io.ringcap.ring.ReaderStatus;
import io.ringcap.ring.RecordHandler;
import io.ringcap.ring.RingHeader;
import io.ringcap.ring.RingReader;
import io.ringcap.ring.RingRecord;
import io.ringcap.ring.Sizes;
import io.ringcap.ring.WriterStatus;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One ring in {@code ringcap top}: an ordinary reader that starts at the newest record and counts every
 * record it reads by UDP destination, zero-copy (the frame is parsed in the ring), plus the header's
 * counters, sampled at each refresh to give rates.
 */
final class RingTop implements AutoCloseable, RecordHandler {
    private static final int BATCH = 4096;

    private final Path path;
    private final RingReader reader;
    private final RingHeader header;
    private final FlowCounts flows = new FlowCounts();
    private long lastNanos;
    private long lastRecords;
    private long lastBytes;
    private long lastDrops;
    private long lastTail;

    RingTop(Path path) {
        this.path = path;
        this.reader = RingReader.open(path, RingReader.Start.NEWEST);
        this.header = reader.header();
        sample(System.nanoTime());
    }

    private void sample(long nanoTime) {
        lastNanos = nanoTime;
        lastRecords = header.recordsWritten();
        lastBytes = header.bytesWritten();
        lastDrops = header.sourceDrops();
        lastTail = header.tail();
    }

    /** Reads what was published since the last call; returns whether there was anything. */
    boolean read() {
        return reader.poll(this, BATCH) > 0;
    }

    @Override
    public void onRecord(RingRecord record) {
        int length = record.capturedLength();
        long destination = UdpDestination.of(record.buffer(), record.frameOffset(), length);
        // Counted only if the writer did not overwrite the frame while it was parsed.
        if (record.isIntact()) {
            flows.count(destination, length);
        }
    }

    /** Prints this ring's figures since the last refresh and starts the next interval. */
    void print(PrintWriter out, int maxFlows) {
        long now = System.nanoTime();
        double seconds = Math.max(now - lastNanos, 1) / 1e9;
        long records = header.recordsWritten();
        long bytes = header.bytesWritten();
        long drops = header.sourceDrops();
        long tail = header.tail();
        long wallNanos = System.currentTimeMillis() * 1_000_000L;
        WriterStatus writer = WriterStatus.of(header, wallNanos, RingStatus.STALE_AFTER_NANOS);
        double ringBytesPerSecond = (tail - lastTail) / seconds;
        long capacity = header.capacity();

        out.printf(Locale.ROOT, "ring %s  source %s  writer %s, heartbeat %s ago%n", path,
            header.sourceDescription().isEmpty() ? "(not stated)" : header.sourceDescription(),
            writer.name().toLowerCase(Locale.ROOT), ElapsedTime.format(Math.max(0, wallNanos - header.heartbeatNanos())));
        out.printf(Locale.ROOT, "  rate   %,.0f pkt/s  %.3f Mbit/s  drops %,.0f/s (total %,d)%n",
            (records - lastRecords) / seconds, (bytes - lastBytes) * 8 / seconds / 1e6, (drops - lastDrops) / seconds,
            drops);
        out.printf(Locale.ROOT, "  fill   %.1f%% of %s  window %s%n", 100.0 * Math.min(tail, capacity) / capacity,
            Sizes.format(capacity), ringBytesPerSecond > 0
                ? ElapsedTime.format((long) (Math.min(tail, capacity) / ringBytesPerSecond * 1e9)) + " at this rate"
                : "(no traffic: holds its records until the writer writes again)");
        List<FlowCounts.Flow> counted = flows.drain();
        for (FlowCounts.Flow flow : counted.subList(0, Math.min(maxFlows, counted.size()))) {
            out.printf(Locale.ROOT, "  flow   %-21s %,12.0f pkt/s  %10.3f Mbit/s%n", flowName(flow.destination()),
                flow.packets() / seconds, flow.bytes() * 8 / seconds / 1e6);
        }
        if (counted.size() > maxFlows) {
            out.printf(Locale.ROOT, "  flow   (%d more flows)%n", counted.size() - maxFlows);
        }
        if (reader.lostRecords() > 0) {
            out.printf(Locale.ROOT, "  top    lapped: %,d records not counted in flows%n", reader.lostRecords());
        }
        for (ReaderStatus status : ReaderStatus.list(path)) {
            out.println("  reader " + ReaderReport.line(status, tail, header.creationTimeNanos()));
        }
        sample(now);
    }

    private static String flowName(long destination) {
        if (destination == UdpDestination.NONE) {
            return "(not IPv4/UDP)";
        }
        return destination == FlowCounts.OTHER ? "(other flows)" : UdpDestination.format(destination);
    }

    @Override
    public void close() {
        reader.close();
    }
}
