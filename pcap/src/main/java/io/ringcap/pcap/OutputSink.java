package io.ringcap.pcap;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * Where a writer's bytes go, a segment at a time: the sink lends the writer memory to encode into and takes
 * it back filled. So a writer encodes straight into the memory the sink then writes from (an aligned buffer for
 * {@code O_DIRECT}, say), and no byte is copied between the writer's buffer and the sink's.
 *
 * <p>A writer holds at most one lent segment, fills it from its byte 0, and hands it back with {@link #take}
 * before it asks for the next. If {@code take} throws, the segment stays the writer's: it may put more bytes
 * after those it handed over and hands it over again later, and the sink goes on from wherever it had got to,
 * so no byte is lost, repeated or reordered. If {@code lend} throws, the writer holds no segment and asks again
 * later. One thread calls both methods.
 */
public interface OutputSink {
    /**
     * The next segment to fill. Every block the writer writes must fit in one segment, so a sink lends segments of
     * at least {@link PcapngWriter#MIN_BUFFER_CAPACITY} bytes.
     */
    MemorySegment lend() throws IOException;

    /** Takes back {@code segment}, the one last lent, whose first {@code length} bytes are the writer's output. */
    void take(MemorySegment segment, int length) throws IOException;
}
