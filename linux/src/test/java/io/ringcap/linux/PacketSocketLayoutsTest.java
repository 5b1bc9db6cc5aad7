package io.ringcap.linux;

import org.junit.jupiter.api.Test;

import static io.ringcap.linux.PacketSocketLayouts.*;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Expected sizes and offsets are sizeof/offsetof printed by gcc 12.2 from the uapi headers of
 * linux-libc-dev 6.1.187 (x86_64) on the build machine; the C program is not part of the build.
 */
class PacketSocketLayoutsTest {
    @Test
    void sockaddrLlMatchesIfPacketH() {
        assertThat(SOCKADDR_LL.byteSize()).isEqualTo(20);
        assertThat(SLL_FAMILY_OFFSET).isEqualTo(0);
        assertThat(SLL_PROTOCOL_OFFSET).isEqualTo(2);
        assertThat(SLL_IFINDEX_OFFSET).isEqualTo(4);
        assertThat(SOCKADDR_LL.byteOffset(groupElement("sll_hatype"))).isEqualTo(8);
        assertThat(SOCKADDR_LL.byteOffset(groupElement("sll_pkttype"))).isEqualTo(10);
        assertThat(SOCKADDR_LL.byteOffset(groupElement("sll_halen"))).isEqualTo(11);
        assertThat(SOCKADDR_LL.byteOffset(groupElement("sll_addr"))).isEqualTo(12);
    }

    @Test
    void tpacketReq3MatchesIfPacketH() {
        assertThat(TPACKET_REQ3.byteSize()).isEqualTo(28);
        assertThat(TP_BLOCK_SIZE_OFFSET).isEqualTo(0);
        assertThat(TP_BLOCK_NR_OFFSET).isEqualTo(4);
        assertThat(TP_FRAME_SIZE_OFFSET).isEqualTo(8);
        assertThat(TP_FRAME_NR_OFFSET).isEqualTo(12);
        assertThat(TP_RETIRE_BLK_TOV_OFFSET).isEqualTo(16);
        assertThat(TP_SIZEOF_PRIV_OFFSET).isEqualTo(20);
        assertThat(TP_FEATURE_REQ_WORD_OFFSET).isEqualTo(24);
    }

    @Test
    void blockDescriptorMatchesIfPacketH() {
        assertThat(TPACKET_BLOCK_DESC.byteSize()).isEqualTo(48);
        assertThat(TPACKET_HDR_V1.byteSize()).isEqualTo(40);
        assertThat(BLOCK_VERSION_OFFSET).isEqualTo(0);
        assertThat(TPACKET_BLOCK_DESC.byteOffset(groupElement("offset_to_priv"))).isEqualTo(4);
        // tpacket_hdr_v1 starts at 8; its offsets 0, 4, 8, 12, 16, 24, 32 land here.
        assertThat(BLOCK_STATUS_OFFSET).isEqualTo(8);
        assertThat(BLOCK_NUM_PKTS_OFFSET).isEqualTo(12);
        assertThat(BLOCK_OFFSET_TO_FIRST_PKT_OFFSET).isEqualTo(16);
        assertThat(BLOCK_BLK_LEN_OFFSET).isEqualTo(20);
        assertThat(BLOCK_SEQ_NUM_OFFSET).isEqualTo(24);
        assertThat(BLOCK_TS_FIRST_PKT_OFFSET).isEqualTo(32);
        assertThat(BLOCK_TS_LAST_PKT_OFFSET).isEqualTo(40);
    }

    @Test
    void packetHeaderMatchesIfPacketH() {
        assertThat(TPACKET3_HDR.byteSize()).isEqualTo(48);
        assertThat(TP_NEXT_OFFSET_OFFSET).isEqualTo(0);
        assertThat(TP_SEC_OFFSET).isEqualTo(4);
        assertThat(TP_NSEC_OFFSET).isEqualTo(8);
        assertThat(TP_SNAPLEN_OFFSET).isEqualTo(12);
        assertThat(TP_LEN_OFFSET).isEqualTo(16);
        assertThat(TP_STATUS_OFFSET).isEqualTo(20);
        assertThat(TP_MAC_OFFSET).isEqualTo(24);
        assertThat(TP_NET_OFFSET).isEqualTo(26);
        assertThat(TP_RXHASH_OFFSET).isEqualTo(28);
        assertThat(TP_VLAN_TCI_OFFSET).isEqualTo(32);
        assertThat(TP_VLAN_TPID_OFFSET).isEqualTo(36);
        assertThat(TPACKET3_HDR.byteOffset(groupElement("tp_padding"))).isEqualTo(40);
        assertThat(TPACKET3_HDRLEN).isEqualTo(68);
    }

    @Test
    void statisticsAndAuxdataMatchIfPacketH() {
        assertThat(TPACKET_STATS_V3.byteSize()).isEqualTo(12);
        assertThat(STATS_PACKETS_OFFSET).isEqualTo(0);
        assertThat(STATS_DROPS_OFFSET).isEqualTo(4);
        assertThat(STATS_FREEZE_Q_CNT_OFFSET).isEqualTo(8);
        assertThat(TPACKET_AUXDATA.byteSize()).isEqualTo(20);
        assertThat(TPACKET_AUXDATA.byteOffset(groupElement("tp_mac"))).isEqualTo(12);
        assertThat(TPACKET_AUXDATA.byteOffset(groupElement("tp_net"))).isEqualTo(14);
        assertThat(TPACKET_AUXDATA.byteOffset(groupElement("tp_vlan_tci"))).isEqualTo(16);
        assertThat(TPACKET_AUXDATA.byteOffset(groupElement("tp_vlan_tpid"))).isEqualTo(18);
    }

    @Test
    void classicFilterMatchesFilterH() {
        assertThat(SOCK_FILTER.byteSize()).isEqualTo(8);
        assertThat(FILTER_CODE_OFFSET).isEqualTo(0);
        assertThat(FILTER_JT_OFFSET).isEqualTo(2);
        assertThat(FILTER_JF_OFFSET).isEqualTo(3);
        assertThat(FILTER_K_OFFSET).isEqualTo(4);
        assertThat(SOCK_FPROG.byteSize()).isEqualTo(16);
        assertThat(FPROG_LEN_OFFSET).isEqualTo(0);
        assertThat(FPROG_FILTER_OFFSET).isEqualTo(8);
    }

    @Test
    void constantsMatchIfPacketH() {
        assertThat(SOL_PACKET).isEqualTo(263);
        assertThat(PACKET_VERSION).isEqualTo(10);
        assertThat(TPACKET_V3).isEqualTo(2);
        assertThat(PACKET_RX_RING).isEqualTo(5);
        assertThat(PACKET_STATISTICS).isEqualTo(6);
        assertThat(PACKET_TIMESTAMP).isEqualTo(17);
        assertThat(PACKET_FANOUT).isEqualTo(18);
        assertThat(PACKET_FANOUT_QM).isEqualTo(5);
        assertThat(PACKET_FANOUT_FLAG_DEFRAG).isEqualTo(0x8000);
        assertThat(TP_STATUS_TS_RAW_HARDWARE).isEqualTo(0x80000000);
        assertThat(SocketLayouts.AF_PACKET).isEqualTo(17);
        assertThat(ETH_P_ALL).isEqualTo(3);
    }
}
