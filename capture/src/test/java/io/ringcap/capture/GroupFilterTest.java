package io.ringcap.capture;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The generated filter, run over hand-made frames by {@link ClassicBpfInterpreter} and checked by the kernel. */
class GroupFilterTest {
    private static final int A = 0xEF010101;   // 239.1.1.1
    private static final int B = 0xEF010102;   // 239.1.1.2
    private static final ClassicBpfProgram FILTER = GroupFilter.program(List.of(
        MulticastGroup.parse("239.1.1.1:5000"), MulticastGroup.parse("239.1.1.1:5001"),
        MulticastGroup.parse("239.1.1.2")));

    @Test
    void udpToAConfiguredAddressAndPortIsKeptWhole() {
        assertThat(run(udp(A, 5000))).isEqualTo(GroupFilter.ACCEPT);
        assertThat(run(udp(A, 5001))).isEqualTo(GroupFilter.ACCEPT);
    }

    @Test
    void otherPortsOfTheGroupAndOtherGroupsAreDropped() {
        assertThat(run(udp(A, 5002))).isZero();
        assertThat(run(udp(0xEF010103, 5000))).isZero();
        assertThat(run(udp(0x0AD50002, 5000))).isZero();
    }

    @Test
    void aGroupWithoutPortKeepsEveryPort() {
        assertThat(run(udp(B, 1))).isEqualTo(GroupFilter.ACCEPT);
        assertThat(run(udp(B, 65535))).isEqualTo(GroupFilter.ACCEPT);
    }

    @Test
    void otherProtocolsAreDropped() {
        Frame tcp = udp(A, 5000);
        tcp.bytes[14 + 9] = 6;
        assertThat(run(tcp)).isZero();
        Frame arp = udp(A, 5000);
        arp.buffer.putShort(12, (short) 0x0806);
        assertThat(run(arp)).isZero();
        Frame ipv6 = udp(A, 5000);
        ipv6.buffer.putShort(12, (short) 0x86DD);
        assertThat(run(ipv6)).isZero();
    }

    @Test
    void ipOptionsMoveTheUdpHeaderAndTheFilterFollows() {
        assertThat(run(new Frame(A, 5000, 6, false, 0))).isEqualTo(GroupFilter.ACCEPT);
        assertThat(run(new Frame(A, 5002, 15, false, 0))).isZero();
    }

    @Test
    void oneVlanTagInTheFrameIsLookedThrough() {
        assertThat(run(new Frame(A, 5000, 5, true, 0))).isEqualTo(GroupFilter.ACCEPT);
        assertThat(run(new Frame(A, 5003, 5, true, 0))).isZero();
        Frame qinq = new Frame(A, 5001, 5, true, 0);
        qinq.buffer.putShort(12, (short) GroupFilter.ETHERTYPE_QINQ);
        assertThat(run(qinq)).isEqualTo(GroupFilter.ACCEPT);
    }

    @Test
    void laterFragmentsAreKeptByAddressAloneFirstFragmentsByPort() {
        assertThat(run(new Frame(A, 9999, 5, false, 185))).as("later fragment, no UDP header").isEqualTo(GroupFilter.ACCEPT);
        assertThat(run(new Frame(0xEF090909, 5000, 5, false, 185))).isZero();
        Frame first = new Frame(A, 5002, 5, false, 0);
        first.buffer.putShort(14 + 6, (short) 0x2000);
        assertThat(run(first)).as("first fragment (MF set) is judged by its port").isZero();
    }

    @Test
    void truncatedFramesAreDropped() {
        byte[] shortFrame = java.util.Arrays.copyOf(udp(A, 5000).bytes, 35);
        assertThat(ClassicBpfInterpreter.run(FILTER, shortFrame)).isZero();
    }

    @Test
    void kernelAcceptsTheFilter() {
        ClassicBpfProgramTest.attach(FILTER);
    }

    @Test
    void twoHundredGroupsStillMakeOneValidProgram() {
        List<MulticastGroup> groups = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            groups.add(new MulticastGroup(0xEF020000 + i, 10_000 + i));
        }
        ClassicBpfProgram program = GroupFilter.program(groups);

        assertThat(program.length()).isLessThan(ClassicBpfProgram.MAX_INSTRUCTIONS);
        assertThat(ClassicBpfInterpreter.run(program, new Frame(0xEF020000 + 199, 10_199, 5, false, 0).bytes))
            .isEqualTo(GroupFilter.ACCEPT);
        assertThat(ClassicBpfInterpreter.run(program, new Frame(0xEF020000 + 199, 10_198, 5, false, 0).bytes)).isZero();
        ClassicBpfProgramTest.attach(program);
    }

    @Test
    void tooManyGroupsForTheKernelAreRefusedWithAWayOut() {
        List<MulticastGroup> groups = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            groups.add(new MulticastGroup(0xEF020000 + i, 10_000));
        }

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GroupFilter.program(groups))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("300 groups need a filter of")
            .hasMessageContaining("split the groups across several captures");
    }

    private static int run(Frame frame) {
        return ClassicBpfInterpreter.run(FILTER, frame.bytes);
    }

    private static Frame udp(int group, int port) {
        return new Frame(group, port, 5, false, 0);
    }

    /** Ethernet (optionally one 802.1Q tag), IPv4 with {@code ihl} words of header, UDP, 32 bytes of payload. */
    private static final class Frame {
        final byte[] bytes;
        final ByteBuffer buffer;

        Frame(int group, int port, int ihl, boolean tagged, int fragmentOffset) {
            int ip = tagged ? 18 : 14;
            bytes = new byte[ip + ihl * 4 + 8 + 32];
            buffer = ByteBuffer.wrap(bytes);
            buffer.putShort(12, (short) (tagged ? GroupFilter.ETHERTYPE_VLAN : GroupFilter.ETHERTYPE_IPV4));
            if (tagged) {
                buffer.putShort(14, (short) 100);
                buffer.putShort(16, (short) GroupFilter.ETHERTYPE_IPV4);
            }
            bytes[ip] = (byte) (0x40 | ihl);
            buffer.putShort(ip + 6, (short) fragmentOffset);
            bytes[ip + 9] = 17;
            buffer.putInt(ip + 12, 0x0AD50001);
            buffer.putInt(ip + 16, group);
            buffer.putShort(ip + ihl * 4, (short) 40000);
            buffer.putShort(ip + ihl * 4 + 2, (short) port);
        }
    }
}
