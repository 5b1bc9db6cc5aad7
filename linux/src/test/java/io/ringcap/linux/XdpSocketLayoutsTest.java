package io.ringcap.linux;

import org.junit.jupiter.api.Test;

import static io.ringcap.linux.XdpSocketLayouts.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Expected sizes and offsets are sizeof/offsetof printed by gcc 12.2 from the uapi headers of
 * linux-libc-dev 6.1.187 (x86_64) on the build machine; the C program is not part of the build.
 */
class XdpSocketLayoutsTest {
    @Test
    void sockaddrXdpMatchesIfXdpH() {
        assertThat(SOCKADDR_XDP.byteSize()).isEqualTo(16);
        assertThat(SXDP_FAMILY_OFFSET).isEqualTo(0);
        assertThat(SXDP_FLAGS_OFFSET).isEqualTo(2);
        assertThat(SXDP_IFINDEX_OFFSET).isEqualTo(4);
        assertThat(SXDP_QUEUE_ID_OFFSET).isEqualTo(8);
        assertThat(SXDP_SHARED_UMEM_FD_OFFSET).isEqualTo(12);
    }

    @Test
    void umemRegistrationMatchesIfXdpH() {
        assertThat(XDP_UMEM_REG_LAYOUT.byteSize()).isEqualTo(32);
        assertThat(UMEM_ADDR_OFFSET).isEqualTo(0);
        assertThat(UMEM_LEN_OFFSET).isEqualTo(8);
        assertThat(UMEM_CHUNK_SIZE_OFFSET).isEqualTo(16);
        assertThat(UMEM_HEADROOM_OFFSET).isEqualTo(20);
        assertThat(UMEM_FLAGS_OFFSET).isEqualTo(24);
    }

    @Test
    void ringOffsetsMatchIfXdpH() {
        assertThat(XDP_RING_OFFSET.byteSize()).isEqualTo(32);
        assertThat(RING_PRODUCER_OFFSET).isEqualTo(0);
        assertThat(RING_CONSUMER_OFFSET).isEqualTo(8);
        assertThat(RING_DESC_OFFSET).isEqualTo(16);
        assertThat(RING_FLAGS_OFFSET).isEqualTo(24);
        assertThat(XDP_MMAP_OFFSETS_LAYOUT.byteSize()).isEqualTo(128);
        assertThat(MMAP_RX_OFFSET).isEqualTo(0);
        assertThat(MMAP_TX_OFFSET).isEqualTo(32);
        assertThat(MMAP_FILL_OFFSET).isEqualTo(64);
        assertThat(MMAP_COMPLETION_OFFSET).isEqualTo(96);
    }

    @Test
    void descriptorStatisticsAndOptionsMatchIfXdpH() {
        assertThat(XDP_DESC.byteSize()).isEqualTo(16);
        assertThat(DESC_ADDR_OFFSET).isEqualTo(0);
        assertThat(DESC_LEN_OFFSET).isEqualTo(8);
        assertThat(DESC_OPTIONS_OFFSET).isEqualTo(12);
        assertThat(XDP_STATISTICS_LAYOUT.byteSize()).isEqualTo(48);
        assertThat(STATS_RX_DROPPED_OFFSET).isEqualTo(0);
        assertThat(STATS_RX_INVALID_DESCS_OFFSET).isEqualTo(8);
        assertThat(STATS_TX_INVALID_DESCS_OFFSET).isEqualTo(16);
        assertThat(STATS_RX_RING_FULL_OFFSET).isEqualTo(24);
        assertThat(STATS_RX_FILL_RING_EMPTY_OFFSET).isEqualTo(32);
        assertThat(STATS_TX_RING_EMPTY_OFFSET).isEqualTo(40);
        assertThat(XDP_OPTIONS_LAYOUT.byteSize()).isEqualTo(4);
    }

    @Test
    void constantsMatchIfXdpH() {
        assertThat(SocketLayouts.AF_XDP).isEqualTo(44);
        assertThat(SOL_XDP).isEqualTo(283);
        assertThat(XDP_UMEM_REG).isEqualTo(4);
        assertThat(XDP_OPTIONS).isEqualTo(8);
        assertThat(XDP_USE_NEED_WAKEUP).isEqualTo((short) 8);
        assertThat(XDP_UMEM_PGOFF_FILL_RING).isEqualTo(0x100000000L);
        assertThat(XDP_UMEM_PGOFF_COMPLETION_RING).isEqualTo(0x180000000L);
        assertThat(XDP_PGOFF_TX_RING).isEqualTo(0x80000000L);
    }
}
