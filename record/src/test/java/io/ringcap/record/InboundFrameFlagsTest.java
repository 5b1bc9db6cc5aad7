package io.ringcap.record;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;

import static io.ringcap.pcap.PcapngDescriptor.EPB_FLAG_BROADCAST;
import static io.ringcap.pcap.PcapngDescriptor.EPB_FLAG_INBOUND;
import static io.ringcap.pcap.PcapngDescriptor.EPB_FLAG_MULTICAST;
import static io.ringcap.pcap.PcapngDescriptor.EPB_FLAG_UNICAST;
import static org.assertj.core.api.Assertions.assertThat;

class InboundFrameFlagsTest {
    @Test
    void theReceptionTypeComesFromTheDestinationAddress() {
        assertThat(flags("01005e010101" + "020000000001")).isEqualTo(EPB_FLAG_INBOUND | EPB_FLAG_MULTICAST);
        assertThat(flags("ffffffffffff" + "020000000001")).isEqualTo(EPB_FLAG_INBOUND | EPB_FLAG_BROADCAST);
        assertThat(flags("ffffffffff00" + "020000000001")).as("group bit set, not all ones")
            .isEqualTo(EPB_FLAG_INBOUND | EPB_FLAG_MULTICAST);
        assertThat(flags("020000000002" + "020000000001")).isEqualTo(EPB_FLAG_INBOUND | EPB_FLAG_UNICAST);
    }

    @Test
    void aFrameTooShortForAnAddressIsInboundAlone() {
        assertThat(flags("ffffffffff")).isEqualTo(EPB_FLAG_INBOUND);
        assertThat(flags("")).isEqualTo(EPB_FLAG_INBOUND);
    }

    @Test
    void theFrameIsReadWhereItIsNotFromTheSegmentsStart() {
        MemorySegment segment = MemorySegment.ofArray(HexFormat.of().parseHex("000000" + "ffffffffffff" + "00"));
        assertThat(InboundFrameFlags.of(segment, 3, 6)).isEqualTo(EPB_FLAG_INBOUND | EPB_FLAG_BROADCAST);
    }

    private static int flags(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        return InboundFrameFlags.of(MemorySegment.ofArray(bytes), 0, bytes.length);
    }
}
