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
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * jcstress: a reader that finds a record published finds all of it. The writer writes one 64-byte frame and
 * publishes it while a reader polls once; the reader either finds nothing yet or the whole record, header
 * fields and every frame byte, never a record whose publication it saw before the bytes
 * (docs/ring-format.md, "Publication and torn-read protection"). Run by {@link RingOrderingJcstressTest}.
 */
@JCStressTest
@Description("A published record is seen whole: header and frame before the tail.")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "Not published yet.")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "Published, and seen whole.")
@Outcome(expect = FORBIDDEN, desc = "Published, but seen incomplete.")
@State
public class RingPublicationOrdering {
    private static final int FRAME_LENGTH = 64;
    private static final byte FRAME_BYTE = 0x5A;
    private static final long TIMESTAMP = 1_764_000_000_123_456_789L;
    private static final int SOURCE_ID = 7;
    private static final MemorySegment FRAME = Arena.global().allocate(FRAME_LENGTH).fill(FRAME_BYTE);

    private final RingWriter writer;
    private final RingReader reader;
    private final WholeRecordCheck check = new WholeRecordCheck();

    public RingPublicationOrdering() {
        RingFile ring = RingFile.inMemory(RingDescriptor.MIN_CAPACITY);
        writer = RingWriter.over(ring, TimestampSource.USER, "jcstress");
        reader = RingReader.over(ring, RingReader.Start.OLDEST);
    }

    @Actor
    public void writer() {
        writer.write(FRAME, 0, FRAME_LENGTH, FRAME_LENGTH, TIMESTAMP, SOURCE_ID, 0);
        writer.publish();
    }

    @Actor
    public void reader(II_Result result) {
        int delivered = reader.poll(check, 1);
        result.r1 = delivered;
        result.r2 = delivered == 1 && check.whole ? 1 : 0;
    }

    /** Checks every field the writer set and every frame byte. */
    private static final class WholeRecordCheck implements RecordHandler {
        boolean whole;

        @Override
        public void onRecord(RingRecord record) {
            boolean fields = record.sequence() == 0 && record.capturedLength() == FRAME_LENGTH
                && record.originalLength() == FRAME_LENGTH && record.timestampNanos() == TIMESTAMP
                && record.sourceId() == SOURCE_ID;
            MemorySegment buffer = record.buffer();
            long offset = record.frameOffset();
            boolean bytes = true;
            for (int i = 0; i < FRAME_LENGTH; i++) {
                bytes &= buffer.get(ValueLayout.JAVA_BYTE, offset + i) == FRAME_BYTE;
            }
            whole = fields && bytes;
        }
    }
}
