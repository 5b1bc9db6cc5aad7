package io.ringcap.ring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.locks.LockSupport;

/**
 * Child process of {@link CrossProcessStressTest}: reads a ring until its writer has closed it and every
 * record was read, checking every delivered record (checksum, sequence order), and writes its counts
 * to a result file. "slow" readers pause after every few records so the writer laps them.
 */
public final class StressReader implements RecordHandler {
    private final boolean slow;
    long delivered;
    long lost;
    long first = -1;
    long last = -1;
    long torn;
    long outOfOrder;
    long sinceLastPause;

    private StressReader(boolean slow) {
        this.slow = slow;
    }

    public static void main(String[] args) throws Exception {
        Path ring = Path.of(args[0]);
        boolean slow = args[1].equals("slow");
        Path result = Path.of(args[2]);
        RingReader.Start start = RingReader.Start.valueOf(args[3]);
        StressReader handler = new StressReader(slow);
        try (RingReader reader = RingReader.open(ring, start)) {
            writeResult(Path.of(args[2] + ".ready"), "ready");
            while (true) {
                if (reader.poll(handler, 256) == 0) {
                    int state = reader.header().writerState();
                    if (state == RingDescriptor.STATE_CLOSED && reader.position() >= reader.header().tail()) {
                        break;
                    }
                    LockSupport.parkNanos(10_000);
                }
            }
            writeResult(result, "delivered=" + handler.delivered + " lost=" + handler.lost + " first=" + handler.first
                + " last=" + handler.last + " torn=" + handler.torn + " outOfOrder=" + handler.outOfOrder
                + " laps=" + reader.laps() + " readerDelivered=" + reader.deliveredRecords()
                + " readerLost=" + reader.lostRecords());
        }
    }

    @Override
    public void onRecord(RingRecord record) {
        long sequence = TestFrames.check(record.buffer(), record.frameOffset(), record.capturedLength());
        long recordSequence = record.sequence();
        if (!record.isIntact()) {
            return;
        }
        if (sequence != recordSequence) {
            torn++;
        }
        if (recordSequence <= last) {
            outOfOrder++;
        }
        if (first < 0) {
            first = recordSequence;
        }
        last = recordSequence;
        delivered++;
        if (slow && ++sinceLastPause == 20) {
            sinceLastPause = 0;
            LockSupport.parkNanos(200_000);
        }
    }

    @Override
    public void onLoss(long records, long ringBytes) {
        lost += records;
    }

    static void writeResult(Path path, String line) throws IOException {
        Path temporary = path.resolveSibling(path.getFileName() + ".tmp");
        Files.writeString(temporary, line);
        Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE);
    }
}
