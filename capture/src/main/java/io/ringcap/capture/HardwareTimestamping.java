package io.ringcap.capture;

/** Whether to stamp packets with the NIC's clock ({@code SOF_TIMESTAMPING_RAW_HARDWARE}). */
public enum HardwareTimestamping {
    /** Kernel software timestamps (CLOCK_REALTIME when the kernel took the packet in). */
    OFF,
    /** Hardware timestamps where the interface has them; otherwise software ones, with a warning. */
    PREFER,
    /** Hardware timestamps or no capture: set-up fails on an interface without them (veth, lo, most VMs). */
    REQUIRE
}
