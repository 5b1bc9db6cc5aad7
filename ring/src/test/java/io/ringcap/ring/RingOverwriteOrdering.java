package io.ringcap.ring;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * jcstress: a record the writer overwrites while a reader reads it is never delivered torn. A 64 KiB ring
 * holds eight records of the largest frame (8,160 bytes of 1s, sequences 0 to 7); the reader is at record 1.
 * The writer writes two more records of 2s (sequences 8 and 9), the second over record 1, while the reader
 * polls once. The reader must deliver record 1 whole (all 1s), or report the loss and deliver a later record
 * whole, never a record of mixed bytes (docs/ring-format.md, "Why a reader never accepts torn data"). Run by
 * {@link RingOrderingJcstressTest}.
 */
@JCStressTest
@Description("A record overwritten while it is read is reported lost, never delivered torn.")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "Record 1 read whole before the writer reached it.")
@Outcome(id = "1, 2", expect = ACCEPTABLE_INTERESTING, desc = "Lapped: loss reported, a later record read whole.")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "Lapped again and again: nothing delivered in this poll.")
@Outcome(expect = FORBIDDEN, desc = "A torn record delivered, or a gap not reported.")
@State
public class RingOverwriteOrdering {
    private static final int FRAME_LENGTH = (int) (RingDescriptor.MIN_CAPACITY / 8) - RecordDescriptor.HEADER_LENGTH;
    private static final int RECORDS_PER_LAP = 8;
    private static final MemorySegment OLD_FRAME = Arena.global().allocate(FRAME_LENGTH).fill((byte) 1);
    private static final MemorySegment NEW_FRAME = Arena.global().allocate(FRAME_LENGTH).fill((byte) 2);

    private final RingWriter writer;
    private final RingReader reader;
    private final ConsistencyCheck check = new ConsistencyCheck();

    public RingOverwriteOrdering() {
        RingFile ring = RingFile.inMemory(RingDescriptor.MIN_CAPACITY);
        writer = RingWriter.over(ring, TimestampSource.USER, "jcstress");
        for (int i = 0; i < RECORDS_PER_LAP; i++) {
            writer.write(OLD_FRAME, 0, FRAME_LENGTH, FRAME_LENGTH, i, 0, 0);
        }
        writer.publish();
        reader = RingReader.over(ring, RingReader.Start.OLDEST);
        reader.seek(RingDescriptor.MIN_CAPACITY / RECORDS_PER_LAP, 1);
    }

    @Actor
    public void writer() {
        writer.write(NEW_FRAME, 0, FRAME_LENGTH, FRAME_LENGTH, RECORDS_PER_LAP, 0, 0);
        writer.write(NEW_FRAME, 0, FRAME_LENGTH, FRAME_LENGTH, RECORDS_PER_LAP + 1, 0, 0);
        writer.publish();
    }

    @Actor
    public void reader(II_Result result) {
        int delivered = reader.poll(check, 1);
        result.r1 = delivered;
        if (delivered == 0) {
            result.r2 = 0;
        } else if (!check.consistent) {
            result.r2 = -1;
        } else if (check.sequence == 1) {
            result.r2 = check.lossReported ? -2 : 1;
        } else {
            result.r2 = check.lossReported ? 2 : -2;
        }
    }

    /**
     * Whether the last record handed over is one lap's: its sequence, timestamp and every frame byte agree
     * (sequences 0-7 hold 1s, 8 and 9 hold 2s). The reader confirms the record after this returns, so the last
     * call is the record delivered.
     */
    private static final class ConsistencyCheck implements RecordHandler {
        boolean consistent;
        long sequence;
        boolean lossReported;

        @Override
        public void onRecord(RingRecord record) {
            sequence = record.sequence();
            byte expected = (byte) (sequence < RECORDS_PER_LAP ? 1 : 2);
            MemorySegment buffer = record.buffer();
            long offset = record.frameOffset();
            boolean same = record.capturedLength() == FRAME_LENGTH && record.timestampNanos() == sequence;
            for (int i = 0; i < FRAME_LENGTH; i += 8) {
                same &= buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + i) == expected * 0x0101_0101_0101_0101L;
            }
            consistent = same;
        }

        @Override
        public void onLoss(long records, long ringBytes) {
            lossReported = true;
        }
    }
}
