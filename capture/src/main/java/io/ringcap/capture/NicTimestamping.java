package io.ringcap.capture;

import io.ringcap.linux.HardwareTimestampConfig;
import io.ringcap.linux.LinuxException;
import io.ringcap.linux.NetworkInterfaces;

import java.util.List;

/** Switching an interface's hardware receive timestamps on (SIOCSHWTSTAMP), for both sources. */
final class NicTimestamping {
    private NicTimestamping() {
    }

    /**
     * Asks the driver of {@code interfaceName} to stamp every received packet; true if it will. On an
     * interface without a hardware clock (veth, lo, virtio) the ioctl fails with EOPNOTSUPP or EINVAL:
     * {@link HardwareTimestamping#REQUIRE} then fails set-up, {@link HardwareTimestamping#PREFER} adds a
     * warning and returns false, for kernel software stamps. Needs CAP_NET_ADMIN.
     */
    static boolean enable(String interfaceName, HardwareTimestamping wanted, List<String> warnings) {
        if (wanted == HardwareTimestamping.OFF) {
            return false;
        }
        try {
            HardwareTimestampConfig applied =
                NetworkInterfaces.configureHardwareTimestamping(interfaceName, HardwareTimestampConfig.receiveAll());
            if (!applied.timestampsAllReceived()) {
                warnings.add("the driver of " + interfaceName + " stamps only some received packets in hardware (rx"
                    + " filter " + applied.rxFilter() + "); the others carry kernel software timestamps");
            }
            return true;
        } catch (LinuxException e) {
            String problem = "interface " + interfaceName + " cannot timestamp packets in hardware (" + e.getMessage()
                + "); virtual interfaces such as veth and lo, and most virtual machines' NICs, have no hardware clock";
            if (wanted == HardwareTimestamping.REQUIRE) {
                throw new CaptureException(problem + ": run without --hw-timestamps for kernel timestamps, or with"
                    + " --hw-timestamps=prefer to fall back to them", e);
            }
            warnings.add(problem + ": using kernel software timestamps");
            return false;
        }
    }
}
