package io.ringcap.cli;

import io.ringcap.ring.RecordDescriptor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecordLineTest {
    @Test
    void noFlagsIsADash() {
        assertThat(flags(0)).isEqualTo("-");
    }

    @Test
    void knownFlagsAreNamedInBitOrder() {
        assertThat(flags(RecordDescriptor.FLAG_CHECKSUM_BAD | RecordDescriptor.FLAG_HARDWARE_TIMESTAMP))
            .isEqualTo("hw-timestamp,checksum-bad");
    }

    @Test
    void unknownFlagsFromANewerWriterAreShownAsBits() {
        assertThat(flags(RecordDescriptor.FLAG_TRUNCATED | 0x8000 | 0x100)).isEqualTo("truncated,0x8100");
        assertThat(flags(0x40)).isEqualTo("0x40");
    }

    private static String flags(int flags) {
        StringBuilder line = new StringBuilder();
        RecordLine.appendFlags(line, flags);
        return line.toString();
    }
}
