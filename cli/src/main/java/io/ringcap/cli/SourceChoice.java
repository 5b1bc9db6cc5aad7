package io.ringcap.cli;

import io.ringcap.linux.Capabilities;
import io.ringcap.linux.CapabilityLayouts;
import io.ringcap.linux.CapabilitySets;

/**
 * Which capture source {@code --source auto} takes, and why: afxdp with the capabilities to load XDP
 * programs and open AF_XDP sockets, else afpacket with CAP_NET_RAW, else udp, which needs none. Shared by
 * {@code ringcap capture} and {@code ringcap demo}, so that both choose and explain alike.
 *
 * @param source the source chosen.
 * @param why    one clause a user can act on, e.g. what privilege would allow a better source.
 */
record SourceChoice(CaptureCommand.Source source, String why) {

    /** The best source the calling thread's effective capabilities allow. */
    static SourceChoice ofCurrentThread() {
        return of(Capabilities.ofCurrentThread());
    }

    /** The best source {@code capabilities}, a thread's effective set, allow. */
    static SourceChoice of(CapabilitySets capabilities) {
        if (mayUseAfXdp(capabilities)) {
            return new SourceChoice(CaptureCommand.Source.afxdp,
                "this process may load XDP programs and open AF_XDP sockets (CAP_NET_ADMIN, CAP_BPF, CAP_NET_RAW)");
        }
        if (capabilities.hasEffective(CapabilityLayouts.CAP_NET_RAW)) {
            return new SourceChoice(CaptureCommand.Source.afpacket,
                "no CAP_NET_ADMIN/CAP_BPF for afxdp, but CAP_NET_RAW for an AF_PACKET ring");
        }
        return new SourceChoice(CaptureCommand.Source.udp,
            "no CAP_NET_RAW for afxdp or afpacket: plain sockets need no privilege (run as root for kernel bypass)");
    }

    /** Whether {@code capabilities} allow the afxdp source: CAP_NET_RAW, CAP_NET_ADMIN and CAP_BPF (or CAP_SYS_ADMIN). */
    static boolean mayUseAfXdp(CapabilitySets capabilities) {
        return capabilities.hasEffective(CapabilityLayouts.CAP_NET_RAW)
            && capabilities.hasEffective(CapabilityLayouts.CAP_NET_ADMIN)
            && (capabilities.hasEffective(CapabilityLayouts.CAP_BPF)
                || capabilities.hasEffective(CapabilityLayouts.CAP_SYS_ADMIN));
    }

    /** {@code source afxdp: <why>}, the line both commands print. */
    @Override
    public String toString() {
        return "source " + source + ": " + why;
    }
}
