package io.ringcap.traffic;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UdpFrameTest {
    /** Ethernet to 01:00:5e:01:01:01, IPv4 10.213.0.1 → 239.1.1.1 UDP 40000 → 5000, 4 bytes of payload. */
    private static final String FRAME = "01005e010101" + "aa4b531b3a3e" + "0800"
        + "4500002000004000011100000ad50001ef010101" + "9c40138800080000" + "cafebabe";

    @Test
    void findsThePayloadAfterEthernetIpAndUdp() {
        MemorySegment frame = segment(FRAME);
        assertThat(UdpFrame.payloadOffset(frame, 0, (int) frame.byteSize())).isEqualTo(42);
    }

    @Test
    void skipsOneVlanTag() {
        String tagged = FRAME.substring(0, 24) + "81000064" + FRAME.substring(24);
        MemorySegment frame = segment(tagged);
        assertThat(UdpFrame.payloadOffset(frame, 0, (int) frame.byteSize())).isEqualTo(46);
    }

    @Test
    void notUdpFragmentedOrCutShortIsMinusOne() {
        String tcp = FRAME.replace("40000111", "40000106");
        String fragment = FRAME.replace("00004000", "00002000");
        assertThat(UdpFrame.payloadOffset(segment(tcp), 0, FRAME.length() / 2)).isEqualTo(-1);
        assertThat(UdpFrame.payloadOffset(segment(fragment), 0, FRAME.length() / 2)).isEqualTo(-1);
        assertThat(UdpFrame.payloadOffset(segment(FRAME), 0, 38)).isEqualTo(-1);
        assertThat(UdpFrame.payloadOffset(segment(FRAME), 0, 10)).isEqualTo(-1);
    }

    private static MemorySegment segment(String hex) {
        return MemorySegment.ofArray(HexFormat.of().parseHex(hex));
    }
}
