package io.ringcap.ring;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class RecordDescriptorTest {
    @Test
    void recordsAreEightByteAligned() {
        assertThat(RecordDescriptor.alignedRecordLength(0)).isEqualTo(32);
        assertThat(RecordDescriptor.alignedRecordLength(1)).isEqualTo(40);
        assertThat(RecordDescriptor.alignedRecordLength(8)).isEqualTo(40);
        assertThat(RecordDescriptor.alignedRecordLength(60)).isEqualTo(96);
        assertThat(RecordDescriptor.alignedRecordLength(64)).isEqualTo(96);
        assertThat(RecordDescriptor.alignedRecordLength(1500)).isEqualTo(1536);
    }

    @Test
    void alignIsTheSmallestMultipleOfEightNotBelow() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            long length = random.nextLong(0, 1L << 40);
            long aligned = RecordDescriptor.align(length);
            assertThat(aligned % 8).isZero();
            assertThat(aligned - length).isBetween(0L, 7L);
        }
    }
}
