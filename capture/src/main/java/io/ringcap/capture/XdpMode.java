package io.ringcap.capture;

import io.ringcap.linux.BpfLayouts;

/** Where the XDP program runs. */
public enum XdpMode {
    /** Native where the driver has it, generic otherwise. */
    AUTO(0),
    /** In the driver, before any socket buffer exists (the fast path). */
    NATIVE(BpfLayouts.XDP_FLAGS_DRV_MODE),
    /** In the kernel's generic receive path, after the socket buffer is built: works on every interface. */
    GENERIC(BpfLayouts.XDP_FLAGS_SKB_MODE),
    /** On the NIC itself (Netronome NFP); such a program cannot redirect to AF_XDP sockets. */
    OFFLOAD(BpfLayouts.XDP_FLAGS_HW_MODE);

    final int flags;

    XdpMode(int flags) {
        this.flags = flags;
    }
}
