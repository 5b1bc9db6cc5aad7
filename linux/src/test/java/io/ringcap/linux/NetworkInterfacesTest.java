package io.ringcap.linux;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class NetworkInterfacesTest {
    @Test
    void loopbackOffersSoftwareTimestampsOnlyAndNoHardwareClock() {
        NicTimestampingInfo info = NetworkInterfaces.timestampingInfo("lo");
        assertThat(info.soTimestamping() & EthtoolLayouts.SOF_TIMESTAMPING_RX_SOFTWARE).isNotZero();
        assertThat(info.hardwareReceive()).isFalse();
        assertThat(info.phcIndex()).isEqualTo(-1);
    }

    @Test
    void loopbackIsInterfaceOne() {
        assertThat(NetworkInterfaces.indexOf("lo")).isEqualTo(1);
    }

    @Test
    void unknownInterfaceIsEnodevWithAHelpfulMessage() {
        LinuxException e = catchThrowableOfType(LinuxException.class, () -> NetworkInterfaces.indexOf("nosuch0"));
        assertThat(e.errno()).isEqualTo(Errno.ENODEV);
        assertThat(e.errnoName()).isEqualTo("ENODEV");
        assertThat(e.getMessage())
            .startsWith("if_nametoindex(nosuch0) failed: ENODEV (No such device)")
            .contains("no network interface named 'nosuch0'")
            .contains("ip link");
    }

    @Test
    void overlongNameIsReportedAsNoSuchInterface() {
        LinuxException e = catchThrowableOfType(
            LinuxException.class, () -> NetworkInterfaces.flags("a-name-far-too-long-for-linux"));
        assertThat(e.errno()).isEqualTo(Errno.ENODEV);
        assertThat(e.hint()).contains("at most 15 characters");
    }

    @Test
    void loopbackFlagsSayLoopbackAndUp() {
        int flags = NetworkInterfaces.flags("lo");
        assertThat(flags & InterfaceLayouts.IFF_LOOPBACK).isNotZero();
        assertThat(flags & InterfaceLayouts.IFF_UP).isNotZero();
    }

    @Test
    void loopbackHasNoHardwareTimestampingAndSaysSo() {
        LinuxException e = catchThrowableOfType(
            LinuxException.class, () -> NetworkInterfaces.hardwareTimestamping("lo"));
        assertThat(e.call()).isEqualTo("ioctl(lo, SIOCGHWTSTAMP)");
        assertThat(e.errnoName()).isIn("EOPNOTSUPP", "EINVAL");
    }
}
