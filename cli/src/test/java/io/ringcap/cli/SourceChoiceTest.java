package io.ringcap.cli;

import io.ringcap.linux.CapabilitySets;
import org.junit.jupiter.api.Test;

import static io.ringcap.linux.CapabilityLayouts.CAP_BPF;
import static io.ringcap.linux.CapabilityLayouts.CAP_NET_ADMIN;
import static io.ringcap.linux.CapabilityLayouts.CAP_NET_RAW;
import static io.ringcap.linux.CapabilityLayouts.CAP_SYS_ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code --source auto}: afxdp, then afpacket, then udp, by what the effective capabilities allow. */
class SourceChoiceTest {
    @Test
    void afxdpWithEverythingItNeedsAndCapSysAdminServesForCapBpf() {
        assertThat(SourceChoice.of(effective(CAP_NET_RAW, CAP_NET_ADMIN, CAP_BPF)).source())
            .isEqualTo(CaptureCommand.Source.afxdp);
        assertThat(SourceChoice.of(effective(CAP_NET_RAW, CAP_NET_ADMIN, CAP_SYS_ADMIN)).source())
            .isEqualTo(CaptureCommand.Source.afxdp);
        assertThat(SourceChoice.of(effective(CAP_NET_RAW, CAP_NET_ADMIN, CAP_BPF)))
            .hasToString("source afxdp: this process may load XDP programs and open AF_XDP sockets (CAP_NET_ADMIN,"
                + " CAP_BPF, CAP_NET_RAW)");
    }

    @Test
    void afpacketWithCapNetRawAloneOrWithoutBpf() {
        assertThat(SourceChoice.of(effective(CAP_NET_RAW))).satisfies(choice -> {
            assertThat(choice.source()).isEqualTo(CaptureCommand.Source.afpacket);
            assertThat(choice.why()).contains("CAP_NET_RAW");
        });
        assertThat(SourceChoice.of(effective(CAP_NET_RAW, CAP_NET_ADMIN)).source())
            .isEqualTo(CaptureCommand.Source.afpacket);
    }

    @Test
    void udpWithoutCapNetRawSayingWhatWouldAllowMore() {
        for (CapabilitySets sets : new CapabilitySets[] {effective(), effective(CAP_NET_ADMIN, CAP_BPF)}) {
            SourceChoice choice = SourceChoice.of(sets);
            assertThat(choice.source()).isEqualTo(CaptureCommand.Source.udp);
            assertThat(choice.why()).contains("no CAP_NET_RAW").contains("run as root");
        }
    }

    private static CapabilitySets effective(int... capabilities) {
        long set = 0;
        for (int capability : capabilities) {
            set |= 1L << capability;
        }
        return new CapabilitySets(set, set, 0);
    }
}
