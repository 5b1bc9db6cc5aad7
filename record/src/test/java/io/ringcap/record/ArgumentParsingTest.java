package io.ringcap.record;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArgumentParsingTest {
    @Test
    void durationsTakeAUnit() {
        assertThat(Durations.parseNanos("60s")).isEqualTo(60_000_000_000L);
        assertThat(Durations.parseNanos("5m")).isEqualTo(300_000_000_000L);
        assertThat(Durations.parseNanos("10ms")).isEqualTo(10_000_000L);
        for (String bad : new String[] {"", "5", "m", "-5s", "1.5s", "5 parsecs", "99999999999999999d"}) {
            assertThatThrownBy(() -> Durations.parseNanos(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void fsyncPolicyIsNoneRotateOrAnInterval() {
        assertThat(FsyncPolicy.parse("none")).isEqualTo(FsyncPolicy.NONE);
        assertThat(FsyncPolicy.parse("ROTATE")).isEqualTo(FsyncPolicy.ROTATE);
        assertThat(FsyncPolicy.parse("100ms")).isEqualTo(new FsyncPolicy(FsyncPolicy.Mode.INTERVAL, 100_000_000L));
        assertThatThrownBy(() -> FsyncPolicy.parse("always")).hasMessageContaining("none, rotate, or an interval");
        assertThatThrownBy(() -> FsyncPolicy.parse("10us")).hasMessageContaining("below 1ms");
    }

    @Test
    void groupsAreAddressColonPort() {
        long group = UdpDestination.parse("239.1.2.3:5000");
        assertThat(UdpDestination.format(group)).isEqualTo("239.1.2.3:5000");
        assertThat(UdpDestination.port(group)).isEqualTo(5000);
        for (String bad : new String[] {"239.1.2:5000", "239.1.2.3", "239.1.2.256:1", "239.1.2.3:65536", "a.b.c.d:1",
            "239.1.2.3:", ":5000"}) {
            assertThatThrownBy(() -> UdpDestination.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(bad);
        }
    }

    @Test
    void aRecordingsNameCarriesItsStartTimeToTheNanosecond() {
        long start = 1_795_000_000_123_456_789L;
        String name = RecordingName.of(start, 1);
        assertThat(name).isEqualTo("ringcap-20261118T110640.123456789Z.pcapng");
        assertThat(RecordingName.startNanos(name)).hasValue(start);
        assertThat(RecordingName.startNanos(RecordingName.of(start, 3))).hasValue(start);
        assertThat(RecordingName.ofPart(RecordingName.part(name))).isEqualTo(name);
        assertThat(RecordingName.startNanos("capture.pcapng")).isEmpty();
        assertThat(RecordingName.ofPart(".other.part")).isNull();
    }
}
