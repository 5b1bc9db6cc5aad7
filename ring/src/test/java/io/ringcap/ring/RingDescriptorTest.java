package io.ringcap.ring;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RingDescriptorTest {
    @Test
    void capacityMustBeAPowerOfTwoInRange() {
        assertThat(RingDescriptor.isValidCapacity(64 * 1024)).isTrue();
        assertThat(RingDescriptor.isValidCapacity(64L << 30)).isTrue();
        assertThat(RingDescriptor.isValidCapacity(32 * 1024)).isFalse();
        assertThat(RingDescriptor.isValidCapacity(3L << 20)).isFalse();
        assertThat(RingDescriptor.isValidCapacity(0)).isFalse();
        assertThat(RingDescriptor.isValidCapacity(-(1L << 20))).isFalse();
        assertThat(RingDescriptor.isValidCapacity(1L << 47)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(longs = {64 * 1024, 1 << 20, 1L << 30, 8L << 30, 64L << 30, 1L << 46})
    void indexStaysSmallAndChunksAtLeastOnePage(long capacity) {
        int shift = RingDescriptor.indexChunkShift(capacity);
        assertThat(shift).isGreaterThanOrEqualTo(12);
        assertThat(RingDescriptor.indexEntries(capacity)).isBetween(1, RingDescriptor.MAX_INDEX_ENTRIES);
        assertThat((long) RingDescriptor.indexEntries(capacity) << shift).isEqualTo(capacity);
    }

    @Test
    void dataStartsOnAPageBoundaryAfterHeaderAndIndex() {
        assertThat(RingDescriptor.dataOffset(1 << 20, 4096)).isEqualTo(4096 + 4096);
        assertThat(RingDescriptor.dataOffset(8L << 30, 4096)).isEqualTo(4096 + 65536 * 8);
        assertThat(RingDescriptor.dataOffset(8L << 30, 2 << 20)).isEqualTo(2 << 20);
        assertThat(RingDescriptor.fileLength(8L << 30, 2 << 20) % (2 << 20)).isZero();
    }

    @Test
    void maxFrameIsAnEighthOfTheRingCappedAtOneMebibyte() {
        assertThat(RingDescriptor.maxCapturedLength(64 * 1024)).isEqualTo(8192 - RecordDescriptor.HEADER_LENGTH);
        assertThat(RingDescriptor.maxCapturedLength(1L << 30)).isEqualTo((1 << 20) - RecordDescriptor.HEADER_LENGTH);
    }

    @Test
    void magicSpellsRingcapInFileOrder() {
        byte[] bytes = new byte[8];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (RingDescriptor.MAGIC >>> (8 * i));
        }
        assertThat(new String(bytes, 0, 7, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("RINGCAP");
        assertThat(bytes[7]).isZero();
    }

    @Test
    void hotFieldsSitOnTheirOwnCacheLines() {
        int[] hot = {RingDescriptor.HEARTBEAT_OFFSET, RingDescriptor.TAIL_INTENT_OFFSET, RingDescriptor.TAIL_OFFSET,
            RingDescriptor.RECORDS_WRITTEN_OFFSET};
        for (int i = 0; i < hot.length; i++) {
            assertThat(hot[i] % RingDescriptor.CACHE_LINE).isZero();
            if (i > 0) {
                assertThat(hot[i] - hot[i - 1]).isGreaterThanOrEqualTo(RingDescriptor.CACHE_LINE);
            }
        }
        assertThat(RingDescriptor.TRUNCATED_RECORDS_OFFSET + 8).isLessThanOrEqualTo(RingDescriptor.HEADER_LENGTH);
    }
}
