package io.ringcap.capture;

import io.ringcap.linux.Bpf;
import io.ringcap.linux.BpfLayouts;
import io.ringcap.linux.KernelBtf;
import io.ringcap.linux.LinuxException;
import io.ringcap.linux.Sockets;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.OptionalInt;

/**
 * ringcap's XDP program ({@link XdpFilterProgram}) loaded and attached to an interface through a BPF link,
 * so that the kernel detaches it when the link's last descriptor closes: when the capture process exits,
 * even by SIGKILL, the interface is back to normal.
 * <p>
 * In native mode it first tries the program that asks the NIC for hardware timestamps (loaded bound to
 * the device, as the rx-timestamp kfunc requires); if the kernel or driver refuses, the program that
 * takes {@code bpf_ktime_get_tai_ns} for every packet.
 */
final class XdpAttachment implements AutoCloseable {
    final XdpMode mode;
    final boolean asksNicForTimestamps;
    private final int programFd;
    private final int linkFd;

    private XdpAttachment(XdpMode mode, boolean asksNicForTimestamps, int programFd, int linkFd) {
        this.mode = mode;
        this.asksNicForTimestamps = asksNicForTimestamps;
        this.programFd = programFd;
        this.linkFd = linkFd;
    }

    /** Loads and attaches the program in {@code mode} ({@link XdpMode#AUTO}: native, else generic). */
    static XdpAttachment attach(String interfaceName, int interfaceIndex, XdpMode mode, int filterMapFd,
        int socketMapFd, List<String> warnings) {
        if (mode == XdpMode.AUTO) {
            try {
                return attach(interfaceName, interfaceIndex, XdpMode.NATIVE, filterMapFd, socketMapFd, warnings);
            } catch (CaptureException nativeRefused) {
                warnings.add("XDP runs in generic mode on " + interfaceName + ": native mode was refused ("
                    + nativeRefused.getMessage() + ")");
                return attach(interfaceName, interfaceIndex, XdpMode.GENERIC, filterMapFd, socketMapFd, warnings);
            }
        }
        if (mode == XdpMode.NATIVE) {
            OptionalInt kfunc = KernelBtf.functionId(XdpFilterProgram.RX_TIMESTAMP_KFUNC);
            if (kfunc.isPresent()) {
                try {
                    return load(interfaceName, interfaceIndex, mode, filterMapFd, socketMapFd, kfunc);
                } catch (CaptureException refused) {
                    warnings.add("no hardware timestamps through XDP on " + interfaceName + " (" + refused.getMessage()
                        + "): using bpf_ktime_get_tai_ns");
                }
            }
        }
        return load(interfaceName, interfaceIndex, mode, filterMapFd, socketMapFd, OptionalInt.empty());
    }

    private static XdpAttachment load(String interfaceName, int interfaceIndex, XdpMode mode, int filterMapFd,
        int socketMapFd, OptionalInt kfunc) {
        byte[] program = XdpFilterProgram.generate(filterMapFd, socketMapFd, kfunc);
        int programFd;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment insns = BpfAssembler.toNative(program, arena);
            boolean deviceBound = kfunc.isPresent() || mode == XdpMode.OFFLOAD;
            programFd = Bpf.loadProgram(BpfLayouts.BPF_PROG_TYPE_XDP, insns, "GPL", "ringcap_xdp", BpfLayouts.BPF_XDP,
                deviceBound ? interfaceIndex : 0,
                kfunc.isPresent() ? BpfLayouts.BPF_F_XDP_DEV_BOUND_ONLY : 0);
        } catch (LinuxException e) {
            throw new CaptureException("cannot load the XDP program for " + interfaceName + ": " + e.getMessage()
                + offloadHint(mode), e);
        }
        try {
            int linkFd = Bpf.createLink(programFd, interfaceIndex, BpfLayouts.BPF_XDP, mode.flags);
            return new XdpAttachment(mode, kfunc.isPresent(), programFd, linkFd);
        } catch (LinuxException e) {
            Sockets.close(programFd);
            throw new CaptureException("cannot attach XDP in " + mode.name().toLowerCase() + " mode to "
                + interfaceName + ": " + e.getMessage() + offloadHint(mode), e);
        }
    }

    /**
     * Offload runs the program on the NIC, which only Netronome's NICs do, and even there a program that
     * redirects to AF_XDP sockets cannot be offloaded: the kernel refuses it at load or attach.
     */
    private static String offloadHint(XdpMode mode) {
        return mode == XdpMode.OFFLOAD ? " (offload mode runs XDP on the NIC: only NICs such as Netronome's do, and"
            + " not for a program that redirects to AF_XDP sockets; use --xdp-mode native or generic)" : "";
    }

    /** Detaches the program (closing the link) and releases it. */
    @Override
    public void close() {
        try {
            Sockets.close(linkFd);
        } finally {
            Sockets.close(programFd);
        }
    }
}
