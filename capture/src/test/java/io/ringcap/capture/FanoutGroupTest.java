package io.ringcap.capture;

import io.ringcap.linux.PacketSocketLayouts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FanoutGroupTest {
    @Test
    void anIdAloneIsHashAndAModeIsReadInAnyCase() {
        assertThat(FanoutGroup.parse("7")).isEqualTo(new FanoutGroup(7, FanoutGroup.Mode.HASH));
        assertThat(FanoutGroup.parse("65535:LB")).isEqualTo(new FanoutGroup(65535, FanoutGroup.Mode.LB));
        assertThat(FanoutGroup.parse("0:qm")).hasToString("0:qm");
        assertThat(FanoutGroup.parse(FanoutGroup.parse("12:rollover").toString()))
            .isEqualTo(new FanoutGroup(12, FanoutGroup.Mode.ROLLOVER));
    }

    @Test
    void modesAreTheKernelsNumbers() {
        assertThat(FanoutGroup.Mode.HASH.kernelMode).isEqualTo(PacketSocketLayouts.PACKET_FANOUT_HASH);
        assertThat(FanoutGroup.Mode.LB.kernelMode).isEqualTo(1);
        assertThat(FanoutGroup.Mode.CPU.kernelMode).isEqualTo(2);
        assertThat(FanoutGroup.Mode.ROLLOVER.kernelMode).isEqualTo(3);
        assertThat(FanoutGroup.Mode.RND.kernelMode).isEqualTo(4);
        assertThat(FanoutGroup.Mode.QM.kernelMode).isEqualTo(5);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|fanout group '' is not ID or ID:MODE",
        ":lb|fanout group ':lb' is not ID or ID:MODE",
        "-1|fanout group '-1' is not ID or ID:MODE",
        "65536|fanout group 65536 is outside 0..65535",
        "99999999999|fanout group '99999999999' is not ID or ID:MODE",
        "7:|fanout mode '' is none of hash, lb, cpu, rollover, rnd, qm",
        "7:ebpf|fanout mode 'ebpf' is none of hash, lb, cpu, rollover, rnd, qm",
        "7:lb:x|fanout mode 'lb:x' is none of"})
    void badTextIsRefusedSayingWhatIsExpected(String text, String message) {
        assertThatThrownBy(() -> FanoutGroup.parse(text)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(message);
    }
}
