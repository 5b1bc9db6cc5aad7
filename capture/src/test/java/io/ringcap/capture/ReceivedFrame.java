package io.ringcap.capture;

import io.ringcap.ring.RecordHandler;
import io.ringcap.ring.RingReader;
import io.ringcap.ring.RingRecord;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/** One record of a ring as a receive loop's test checks it: metadata and a copy of the frame. */
record ReceivedFrame(long timestamp, int flags, int sourceId, int originalLength, byte[] bytes) {
    /** Every record of the ring at {@code path}, from the oldest; a record lost to a lap fails the test. */
    static List<ReceivedFrame> readAll(Path path) {
        List<ReceivedFrame> frames = new ArrayList<>();
        try (RingReader reader = RingReader.open(path, RingReader.Start.OLDEST)) {
            reader.poll(new RecordHandler() {
                @Override
                public void onRecord(RingRecord record) {
                    frames.add(new ReceivedFrame(record.timestampNanos(), record.flags(), record.sourceId(),
                        record.originalLength(), record.frame().toArray(JAVA_BYTE)));
                }

                @Override
                public void onLoss(long lostRecords, long lostBytes) {
                    throw new AssertionError("lost " + lostRecords);
                }
            }, Integer.MAX_VALUE);
        }
        return frames;
    }

    @Override
    public String toString() {
        return "ReceivedFrame[" + timestamp + ", flags " + flags + ", source " + sourceId + ", original length "
            + originalLength + ", " + Arrays.toString(bytes) + "]";
    }
}
