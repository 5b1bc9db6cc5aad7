package io.ringcap.linux;

/** The symbolic names of socket families, types and options, so that failures read like the C call. */
final class SocketNames {
    private SocketNames() {
    }

    static String family(int family) {
        return switch (family) {
            case SocketLayouts.AF_INET -> "AF_INET";
            case SocketLayouts.AF_PACKET -> "AF_PACKET";
            case SocketLayouts.AF_XDP -> "AF_XDP";
            default -> "family " + family;
        };
    }

    static String type(int type) {
        return switch (type & ~(SocketLayouts.SOCK_NONBLOCK | SocketLayouts.SOCK_CLOEXEC)) {
            case SocketLayouts.SOCK_DGRAM -> "SOCK_DGRAM";
            case SocketLayouts.SOCK_RAW -> "SOCK_RAW";
            default -> "type " + type;
        };
    }

    /** {@code "SOL_XDP, XDP_UMEM_REG"} for the two numbers, or the numbers where the pair is not known. */
    static String option(int level, int name) {
        String option = switch (level) {
            case SocketLayouts.SOL_SOCKET -> socketOption(name);
            case SocketLayouts.IPPROTO_IP -> ipOption(name);
            case PacketSocketLayouts.SOL_PACKET -> packetOption(name);
            case XdpSocketLayouts.SOL_XDP -> xdpOption(name);
            default -> null;
        };
        String levelName = switch (level) {
            case SocketLayouts.SOL_SOCKET -> "SOL_SOCKET";
            case SocketLayouts.IPPROTO_IP -> "IPPROTO_IP";
            case PacketSocketLayouts.SOL_PACKET -> "SOL_PACKET";
            case XdpSocketLayouts.SOL_XDP -> "SOL_XDP";
            default -> "level " + level;
        };
        return levelName + ", " + (option != null ? option : "option " + name);
    }

    private static String socketOption(int name) {
        return switch (name) {
            case SocketLayouts.SO_REUSEADDR -> "SO_REUSEADDR";
            case SocketLayouts.SO_SNDBUF -> "SO_SNDBUF";
            case SocketLayouts.SO_RCVBUF -> "SO_RCVBUF";
            case SocketLayouts.SO_REUSEPORT -> "SO_REUSEPORT";
            case SocketLayouts.SO_BINDTODEVICE -> "SO_BINDTODEVICE";
            case SocketLayouts.SO_ATTACH_FILTER -> "SO_ATTACH_FILTER";
            case SocketLayouts.SO_DETACH_FILTER -> "SO_DETACH_FILTER";
            case SocketLayouts.SO_RCVBUFFORCE -> "SO_RCVBUFFORCE";
            case SocketLayouts.SO_TIMESTAMPNS -> "SO_TIMESTAMPNS";
            case SocketLayouts.SO_TIMESTAMPING -> "SO_TIMESTAMPING";
            case SocketLayouts.SO_RXQ_OVFL -> "SO_RXQ_OVFL";
            case SocketLayouts.SO_LOCK_FILTER -> "SO_LOCK_FILTER";
            case SocketLayouts.SO_BUSY_POLL -> "SO_BUSY_POLL";
            case SocketLayouts.SO_ATTACH_BPF -> "SO_ATTACH_BPF";
            case SocketLayouts.SO_PREFER_BUSY_POLL -> "SO_PREFER_BUSY_POLL";
            case SocketLayouts.SO_BUSY_POLL_BUDGET -> "SO_BUSY_POLL_BUDGET";
            default -> null;
        };
    }

    private static String ipOption(int name) {
        return switch (name) {
            case SocketLayouts.IP_PKTINFO -> "IP_PKTINFO";
            case SocketLayouts.IP_MULTICAST_IF -> "IP_MULTICAST_IF";
            case SocketLayouts.IP_MULTICAST_TTL -> "IP_MULTICAST_TTL";
            case SocketLayouts.IP_MULTICAST_LOOP -> "IP_MULTICAST_LOOP";
            case SocketLayouts.IP_ADD_MEMBERSHIP -> "IP_ADD_MEMBERSHIP";
            case SocketLayouts.IP_DROP_MEMBERSHIP -> "IP_DROP_MEMBERSHIP";
            default -> null;
        };
    }

    private static String packetOption(int name) {
        return switch (name) {
            case PacketSocketLayouts.PACKET_ADD_MEMBERSHIP -> "PACKET_ADD_MEMBERSHIP";
            case PacketSocketLayouts.PACKET_RX_RING -> "PACKET_RX_RING";
            case PacketSocketLayouts.PACKET_STATISTICS -> "PACKET_STATISTICS";
            case PacketSocketLayouts.PACKET_AUXDATA -> "PACKET_AUXDATA";
            case PacketSocketLayouts.PACKET_VERSION -> "PACKET_VERSION";
            case PacketSocketLayouts.PACKET_RESERVE -> "PACKET_RESERVE";
            case PacketSocketLayouts.PACKET_TIMESTAMP -> "PACKET_TIMESTAMP";
            case PacketSocketLayouts.PACKET_FANOUT -> "PACKET_FANOUT";
            case PacketSocketLayouts.PACKET_QDISC_BYPASS -> "PACKET_QDISC_BYPASS";
            case PacketSocketLayouts.PACKET_IGNORE_OUTGOING -> "PACKET_IGNORE_OUTGOING";
            default -> null;
        };
    }

    private static String xdpOption(int name) {
        return switch (name) {
            case XdpSocketLayouts.XDP_MMAP_OFFSETS -> "XDP_MMAP_OFFSETS";
            case XdpSocketLayouts.XDP_RX_RING -> "XDP_RX_RING";
            case XdpSocketLayouts.XDP_TX_RING -> "XDP_TX_RING";
            case XdpSocketLayouts.XDP_UMEM_REG -> "XDP_UMEM_REG";
            case XdpSocketLayouts.XDP_UMEM_FILL_RING -> "XDP_UMEM_FILL_RING";
            case XdpSocketLayouts.XDP_UMEM_COMPLETION_RING -> "XDP_UMEM_COMPLETION_RING";
            case XdpSocketLayouts.XDP_STATISTICS -> "XDP_STATISTICS";
            case XdpSocketLayouts.XDP_OPTIONS -> "XDP_OPTIONS";
            default -> null;
        };
    }
}
