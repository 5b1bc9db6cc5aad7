package io.ringcap.capture;

import io.ringcap.ring.RecordHandler;
import io.ringcap.ring.RingReader;
import io.ringcap.ring.RingRecord;
import io.ringcap.traffic.GroupAddress;
import io.ringcap.traffic.MoldHeader;
import io.ringcap.traffic.UdpFrame;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a whole ring written from {@code TrafficGenerator} traffic and counts everything a capture can get
 * wrong: per group, gaps and repeats in the sequence numbers; payloads that differ from what was sent;
 * frames to groups nobody asked for; timestamps outside the sending window, going backwards, or with
 * only microsecond digits.
 */
final class RingAudit implements RecordHandler {
    private static final ValueLayout.OfShort NET_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt NET_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final List<GroupAddress> groups;
    private final int payloadSize;
    private final long windowStart;
    private final long windowEnd;
    final long[] packets;
    final long[] nextSequence;
    final long[] gaps;
    final long[] repeats;
    long records;
    long unexpectedGroup;
    long badPayload;
    long badIpv4Checksum;
    long outsideWindow;
    long backwards;
    long wholeMicroseconds;
    long firstTimestamp = Long.MAX_VALUE;
    long lastTimestamp;
    int flagsSeen;
    int flagsMissing = -1;
    final Map<Integer, Long> lastTimestampBySource = new HashMap<>();

    RingAudit(List<GroupAddress> groups, int payloadSize, long windowStart, long windowEnd) {
        this.groups = groups;
        this.payloadSize = payloadSize;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.packets = new long[groups.size()];
        this.nextSequence = new long[groups.size()];
        Arrays.fill(nextSequence, 1);
        this.gaps = new long[groups.size()];
        this.repeats = new long[groups.size()];
    }

    /** Reads every record of the ring at {@code path} from the oldest. */
    static RingAudit of(Path path, List<GroupAddress> groups, int payloadSize, long windowStart, long windowEnd) {
        RingAudit audit = new RingAudit(groups, payloadSize, windowStart, windowEnd);
        try (RingReader reader = RingReader.open(path, RingReader.Start.OLDEST)) {
            while (reader.poll(audit, 4096) > 0) {
                // everything is published before the audit starts
            }
        }
        return audit;
    }

    @Override
    public void onRecord(RingRecord record) {
        records++;
        flagsSeen |= record.flags();
        flagsMissing &= record.flags();
        checkTimestamp(record.sourceId(), record.timestampNanos());
        MemorySegment buffer = record.buffer();
        long frame = record.frameOffset();
        int length = record.capturedLength();
        long payload = UdpFrame.payloadOffset(buffer, frame, length);
        if (payload < 0) {
            unexpectedGroup++;
            return;
        }
        long ip = frame + (Short.toUnsignedInt(buffer.get(NET_SHORT, frame + 12)) == 0x8100 ? 18 : 14);
        if (!validChecksum(buffer, ip)) {
            badIpv4Checksum++;
        }
        int group = indexOf(buffer.get(NET_INT, ip + 16), Short.toUnsignedInt(buffer.get(NET_SHORT, payload - 6)));
        if (group < 0) {
            unexpectedGroup++;
            return;
        }
        packets[group]++;
        long sequence = MoldHeader.sequence(buffer, payload);
        if (sequence > nextSequence[group]) {
            gaps[group] += sequence - nextSequence[group];
        } else if (sequence < nextSequence[group]) {
            repeats[group]++;
        }
        nextSequence[group] = Math.max(nextSequence[group], sequence + 1);
        if (!payloadAsSent(buffer, payload, frame + length)) {
            badPayload++;
        }
    }

    /** The highest sequence number seen for group {@code group}. */
    long lastSequence(int group) {
        return nextSequence[group] - 1;
    }

    long totalGaps() {
        return Arrays.stream(gaps).sum();
    }

    long totalRepeats() {
        return Arrays.stream(repeats).sum();
    }

    private void checkTimestamp(int source, long timestamp) {
        if (timestamp < windowStart || timestamp > windowEnd) {
            outsideWindow++;
        }
        Long last = lastTimestampBySource.put(source, timestamp);
        if (last != null && timestamp < last) {
            backwards++;
        }
        if (timestamp % 1000 == 0) {
            wholeMicroseconds++;
        }
        firstTimestamp = Math.min(firstTimestamp, timestamp);
        lastTimestamp = Math.max(lastTimestamp, timestamp);
    }

    private int indexOf(int address, int port) {
        for (int i = 0; i < groups.size(); i++) {
            if (groups.get(i).address() == address && groups.get(i).port() == port) {
                return i;
            }
        }
        return -1;
    }

    /** The generator's payload: session, count 1, one block of the rest holding bytes i at offset i. */
    private boolean payloadAsSent(MemorySegment buffer, long payload, long end) {
        if (end - payload != payloadSize || !MoldHeader.session(buffer, payload).equals("RINGCAP")
            || MoldHeader.messageCount(buffer, payload) != 1
            || MoldHeader.messageLength(buffer, payload + MoldHeader.LENGTH) != payloadSize - MoldHeader.LENGTH - 2) {
            return false;
        }
        for (int i = MoldHeader.LENGTH + 2; i < payloadSize; i++) {
            if (buffer.get(ValueLayout.JAVA_BYTE, payload + i) != (byte) i) {
                return false;
            }
        }
        return true;
    }

    private static boolean validChecksum(MemorySegment buffer, long ip) {
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += Short.toUnsignedInt(buffer.get(NET_SHORT, ip + i));
        }
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        return sum == 0xFFFF;
    }

    @Override
    public String toString() {
        return "records " + records + ", per group " + Arrays.toString(packets) + ", gaps " + Arrays.toString(gaps)
            + ", repeats " + Arrays.toString(repeats) + ", unexpected " + unexpectedGroup + ", bad payload "
            + badPayload + ", bad IPv4 checksum " + badIpv4Checksum + ", timestamps outside window " + outsideWindow
            + ", backwards " + backwards + ", whole microseconds " + wholeMicroseconds + " of " + records;
    }
}
