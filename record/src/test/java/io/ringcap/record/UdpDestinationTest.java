package io.ringcap.record;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.assertj.core.api.Assertions.assertThat;

class UdpDestinationTest {
    @Test
    void findsTheGroupOfAnIpv4UdpFrameWithOrWithoutVlanTags() {
        byte[] frame = new byte[100];
        MemorySegment plain = MemorySegment.ofArray(frame);
        TestFrames.fill(plain, 0, 100);
        assertThat(UdpDestination.of(plain, 0, 100)).isEqualTo(TestFrames.GROUPS[0]);

        byte[] tagged = new byte[104];
        System.arraycopy(frame, 0, tagged, 0, 12);
        tagged[12] = (byte) 0x81;
        tagged[13] = 0x00;
        System.arraycopy(frame, 12, tagged, 16, 88);
        assertThat(UdpDestination.of(MemorySegment.ofArray(tagged), 0, 104)).isEqualTo(TestFrames.GROUPS[0]);
    }

    @Test
    void framesThatAreNotIpv4UdpOrAreCutShortHaveNone() {
        MemorySegment frame = MemorySegment.ofArray(new byte[100]);
        TestFrames.fill(frame, 49, 100); // ARP
        assertThat(UdpDestination.of(frame, 0, 100)).isEqualTo(UdpDestination.NONE);
        TestFrames.fill(frame, 0, 100);
        for (int length = 0; length < 38; length++) {
            assertThat(UdpDestination.of(frame, 0, length)).isEqualTo(UdpDestination.NONE);
        }
        frame.set(ValueLayout.JAVA_BYTE, 21, (byte) 8); // a later fragment: no UDP header
        assertThat(UdpDestination.of(frame, 0, 100)).isEqualTo(UdpDestination.NONE);
    }
}
