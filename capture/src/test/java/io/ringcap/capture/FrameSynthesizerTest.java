package io.ringcap.capture;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

class FrameSynthesizerTest {
    private static final int SOURCE = 0x0AD50001;        // 10.213.0.1
    private static final int GROUP = 0xEF818283;         // 239.129.130.131

    @Test
    void headersSayWhatAFrameOffTheWireWouldSay() {
        byte[] frame = synthesize(7, SOURCE, 40000, GROUP, 5001, 100);
        ByteBuffer bytes = ByteBuffer.wrap(frame);

        assertThat(slice(frame, 0, 6)).containsExactly(0x01, 0x00, 0x5E, 0x01, 0x82, 0x83);
        assertThat(slice(frame, 6, 6)).containsOnly(0);
        assertThat(bytes.getShort(12)).isEqualTo((short) 0x0800);
        assertThat(frame[14]).isEqualTo((byte) 0x45);
        assertThat(bytes.getShort(16) & 0xFFFF).isEqualTo(20 + 8 + 100);
        assertThat(bytes.getShort(20)).isZero();
        assertThat(frame[22]).isEqualTo((byte) FrameSynthesizer.TTL);
        assertThat(frame[23]).isEqualTo((byte) 17);
        assertThat(bytes.getInt(26)).isEqualTo(SOURCE);
        assertThat(bytes.getInt(30)).isEqualTo(GROUP);
        assertThat(bytes.getShort(34) & 0xFFFF).isEqualTo(40000);
        assertThat(bytes.getShort(36) & 0xFFFF).isEqualTo(5001);
        assertThat(bytes.getShort(38) & 0xFFFF).isEqualTo(8 + 100);
        assertThat(bytes.getShort(40)).isZero();
    }

    @Test
    void headerChecksumMatchesTheReferenceForAddressesThatCarry() {
        int[][] cases = {
            {SOURCE, GROUP, 100}, {0xFFFFFFFF, 0xEFFFFFFF, 65_507}, {0x00000000, 0xE0000001, 0},
            {0xC0A80001, 0xEF010101, 1472}, {0x7F000001, 0xE00000FB, 9000},
        };
        for (int[] c : cases) {
            byte[] frame = synthesize(0, c[0], 1, c[1], 2, c[2]);
            int written = ByteBuffer.wrap(frame).getShort(24) & 0xFFFF;

            assertThat(written).as("checksum for %08x -> %08x, %d bytes", c[0], c[1], c[2])
                .isEqualTo(referenceChecksum(frame, 14));
            assertThat(onesComplementSum(frame, 14, 20)).as("a valid header sums to 0xFFFF").isEqualTo(0xFFFF);
        }
    }

    @Test
    void oversizedPayloadIsCappedToTheLargestIpv4Length() {
        byte[] frame = synthesize(0, SOURCE, 1, GROUP, 2, 70_000);

        assertThat(ByteBuffer.wrap(frame).getShort(16) & 0xFFFF).isEqualTo(0xFFFF);
        assertThat(ByteBuffer.wrap(frame).getShort(38) & 0xFFFF).isEqualTo(0xFFFF);
        assertThat(onesComplementSum(frame, 14, 20)).isEqualTo(0xFFFF);
    }

    /** Writes at an odd offset too: the IPv4 addresses are not 4-aligned in a record. */
    private static byte[] synthesize(int offset, int source, int sourcePort, int group, int groupPort, int payload) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(offset + FrameSynthesizer.HEADER_LENGTH, 8);
            FrameSynthesizer.writeHeaders(buffer, offset, source, sourcePort, group, groupPort, payload);
            return buffer.asSlice(offset).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    /** RFC 791's checksum computed the textbook way: over the header with the checksum field as zero. */
    private static int referenceChecksum(byte[] frame, int start) {
        byte[] header = java.util.Arrays.copyOfRange(frame, start, start + 20);
        header[10] = 0;
        header[11] = 0;
        return ~onesComplementSum(header, 0, 20) & 0xFFFF;
    }

    private static int onesComplementSum(byte[] bytes, int start, int length) {
        long sum = 0;
        for (int i = start; i < start + length; i += 2) {
            sum += ((bytes[i] & 0xFF) << 8) | (bytes[i + 1] & 0xFF);
        }
        while (sum > 0xFFFF) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }

    private static int[] slice(byte[] bytes, int from, int length) {
        int[] values = new int[length];
        for (int i = 0; i < length; i++) {
            values[i] = bytes[from + i] & 0xFF;
        }
        return values;
    }
}
