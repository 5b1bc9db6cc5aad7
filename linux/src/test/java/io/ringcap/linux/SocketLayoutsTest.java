package io.ringcap.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.Test;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Expected sizes, offsets and constants are what gcc 12.2 printed from glibc 2.36 and the uapi
 * headers of linux-libc-dev 6.1.187 (x86_64) on the build machine; the C program is not part of
 * the build.
 */
class SocketLayoutsTest {
    @Test
    void sockaddrInIpMreqnAndPollfdMatchTheHeaders() {
        assertThat(SocketLayouts.SOCKADDR_IN.byteSize()).isEqualTo(16);
        assertThat(SocketLayouts.SIN_FAMILY_OFFSET).isEqualTo(0);
        assertThat(SocketLayouts.SIN_PORT_OFFSET).isEqualTo(2);
        assertThat(SocketLayouts.SIN_ADDR_OFFSET).isEqualTo(4);
        assertThat(SocketLayouts.SOCKADDR_IN.byteOffset(groupElement("sin_zero"))).isEqualTo(8);
        assertThat(SocketLayouts.IP_MREQN.byteSize()).isEqualTo(12);
        assertThat(SocketLayouts.IMR_MULTIADDR_OFFSET).isEqualTo(0);
        assertThat(SocketLayouts.IMR_ADDRESS_OFFSET).isEqualTo(4);
        assertThat(SocketLayouts.IMR_IFINDEX_OFFSET).isEqualTo(8);
        assertThat(SocketLayouts.POLLFD.byteSize()).isEqualTo(8);
        assertThat(SocketLayouts.POLLFD_EVENTS_OFFSET).isEqualTo(4);
        assertThat(SocketLayouts.POLLFD_REVENTS_OFFSET).isEqualTo(6);
    }

    @Test
    void messageStructuresMatchTheHeaders() {
        assertThat(MessageLayouts.IOVEC.byteSize()).isEqualTo(16);
        assertThat(MessageLayouts.IOV_LEN_OFFSET).isEqualTo(8);
        assertThat(MessageLayouts.MSGHDR.byteSize()).isEqualTo(56);
        assertThat(MessageLayouts.MSG_NAME_OFFSET).isEqualTo(0);
        assertThat(MessageLayouts.MSG_NAMELEN_OFFSET).isEqualTo(8);
        assertThat(MessageLayouts.MSG_IOV_OFFSET).isEqualTo(16);
        assertThat(MessageLayouts.MSG_IOVLEN_OFFSET).isEqualTo(24);
        assertThat(MessageLayouts.MSG_CONTROL_OFFSET).isEqualTo(32);
        assertThat(MessageLayouts.MSG_CONTROLLEN_OFFSET).isEqualTo(40);
        assertThat(MessageLayouts.MSG_FLAGS_OFFSET).isEqualTo(48);
        assertThat(MessageLayouts.MMSGHDR.byteSize()).isEqualTo(64);
        assertThat(MessageLayouts.MSG_LEN_OFFSET).isEqualTo(56);
        assertThat(MessageLayouts.CMSGHDR.byteSize()).isEqualTo(16);
        assertThat(MessageLayouts.CMSG_LEVEL_OFFSET).isEqualTo(8);
        assertThat(MessageLayouts.CMSG_TYPE_OFFSET).isEqualTo(12);
    }

    @Test
    void controlMessageArithmeticMatchesTheCmsgMacros() {
        assertThat(MessageLayouts.cmsgLen(0)).isEqualTo(16);
        assertThat(MessageLayouts.cmsgLen(16)).isEqualTo(32);
        assertThat(MessageLayouts.cmsgSpace(16)).isEqualTo(32);
        assertThat(MessageLayouts.cmsgSpace(48)).isEqualTo(64);
        assertThat(MessageLayouts.cmsgSpace(12)).isEqualTo(32);
    }

    @Test
    void timestampingInterfaceAndTimeStructuresMatchTheHeaders() {
        assertThat(TimeLayouts.TIMESPEC.byteSize()).isEqualTo(16);
        assertThat(TimeLayouts.TV_NSEC_OFFSET).isEqualTo(8);
        assertThat(TimestampingLayouts.SCM_TIMESTAMPING.byteSize()).isEqualTo(48);
        assertThat(TimestampingLayouts.HARDWARE_TS_OFFSET).isEqualTo(32);
        assertThat(TimestampingLayouts.HWTSTAMP_CONFIG.byteSize()).isEqualTo(12);
        assertThat(TimestampingLayouts.HWTSTAMP_TX_TYPE_OFFSET).isEqualTo(4);
        assertThat(TimestampingLayouts.HWTSTAMP_RX_FILTER_OFFSET).isEqualTo(8);
        assertThat(InterfaceLayouts.IFREQ.byteSize()).isEqualTo(40);
        assertThat(InterfaceLayouts.IFR_IFINDEX_OFFSET).isEqualTo(16);
        assertThat(InterfaceLayouts.IFR_FLAGS_OFFSET).isEqualTo(16);
        assertThat(InterfaceLayouts.IFR_DATA_OFFSET).isEqualTo(16);
        assertThat(TimeLayouts.TIMEX.byteSize()).isEqualTo(208);
        assertThat(TimeLayouts.TIMEX_OFFSET_OFFSET).isEqualTo(8);
        assertThat(TimeLayouts.TIMEX_FREQ_OFFSET).isEqualTo(16);
        assertThat(TimeLayouts.TIMEX_MAXERROR_OFFSET).isEqualTo(24);
        assertThat(TimeLayouts.TIMEX_ESTERROR_OFFSET).isEqualTo(32);
        assertThat(TimeLayouts.TIMEX_STATUS_OFFSET).isEqualTo(40);
        assertThat(TimeLayouts.TIMEX_PRECISION_OFFSET).isEqualTo(56);
        assertThat(TimeLayouts.TIMEX.byteOffset(groupElement("time"))).isEqualTo(72);
        assertThat(TimeLayouts.TIMEX_TICK_OFFSET).isEqualTo(88);
        assertThat(TimeLayouts.TIMEX.byteOffset(groupElement("shift"))).isEqualTo(112);
        assertThat(TimeLayouts.TIMEX.byteOffset(groupElement("stbcnt"))).isEqualTo(152);
        assertThat(TimeLayouts.TIMEX_TAI_OFFSET).isEqualTo(160);
    }

    @Test
    void capabilityStructuresMatchCapabilityH() {
        assertThat(CapabilityLayouts.CAP_HEADER.byteSize()).isEqualTo(8);
        assertThat(CapabilityLayouts.HEADER_PID_OFFSET).isEqualTo(4);
        assertThat(CapabilityLayouts.CAP_DATA.byteSize()).isEqualTo(12);
        assertThat(CapabilityLayouts.DATA_PERMITTED_OFFSET).isEqualTo(4);
        assertThat(CapabilityLayouts.DATA_INHERITABLE_OFFSET).isEqualTo(8);
        assertThat(CapabilityLayouts.LINUX_CAPABILITY_VERSION_3).isEqualTo(0x20080522);
        assertThat(CapabilityLayouts.CAP_NET_RAW).isEqualTo(13);
        assertThat(CapabilityLayouts.CAP_BPF).isEqualTo(39);
    }

    @Test
    void constantsMatchTheHeaders() {
        assertThat(SocketLayouts.SO_TIMESTAMPNS).isEqualTo(35);
        assertThat(SocketLayouts.SO_TIMESTAMPING).isEqualTo(37);
        assertThat(SocketLayouts.SO_ATTACH_FILTER).isEqualTo(26);
        assertThat(SocketLayouts.SO_BUSY_POLL).isEqualTo(46);
        assertThat(SocketLayouts.SO_RCVBUFFORCE).isEqualTo(33);
        assertThat(SocketLayouts.IP_ADD_MEMBERSHIP).isEqualTo(35);
        assertThat(SocketLayouts.IP_MULTICAST_IF).isEqualTo(32);
        assertThat(SocketLayouts.MSG_WAITFORONE).isEqualTo(0x10000);
        assertThat(SocketLayouts.SOCK_CLOEXEC).isEqualTo(0x80000);
        assertThat(InterfaceLayouts.SIOCGIFINDEX).isEqualTo(0x8933);
        assertThat(InterfaceLayouts.SIOCSHWTSTAMP).isEqualTo(0x89b0);
        assertThat(InterfaceLayouts.SIOCETHTOOL).isEqualTo(0x8946);
        assertThat(TimestampingLayouts.SOF_TIMESTAMPING_RAW_HARDWARE).isEqualTo(64);
        assertThat(TimeLayouts.CLOCK_TAI).isEqualTo(11);
        assertThat(VirtualMemory.MAP_HUGETLB).isEqualTo(0x40000);
        assertThat(VirtualMemory.MAP_POPULATE).isEqualTo(0x8000);
        assertThat(VirtualMemory.MAP_LOCKED).isEqualTo(0x2000);
        assertThat(VirtualMemory.MADV_POPULATE_WRITE).isEqualTo(23);
    }

    @Test
    void sockaddrInIsWrittenInNetworkByteOrder() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sockaddr = arena.allocate(SocketLayouts.SOCKADDR_IN);
            SocketLayouts.writeSockaddrIn(sockaddr, SocketLayouts.ipv4("239.1.2.3"), 0x1234);
            assertThat(sockaddr.toArray(JAVA_BYTE)).startsWith(2, 0, 0x12, 0x34, (byte) 239, 1, 2, 3);
            assertThat(SocketLayouts.sockaddrInPort(sockaddr)).isEqualTo(0x1234);
            assertThat(SocketLayouts.sockaddrInAddress(sockaddr)).isEqualTo(0xef010203);
        }
    }

    @Test
    void malformedAddressIsRejectedWithAnExample() {
        assertThatThrownBy(() -> SocketLayouts.ipv4("239.1.2")).hasMessageContaining("like 239.1.2.3");
        assertThatThrownBy(() -> SocketLayouts.ipv4("239.1.2.256")).isInstanceOf(IllegalArgumentException.class);
    }
}
