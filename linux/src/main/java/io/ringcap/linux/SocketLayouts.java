package io.ringcap.linux;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * IPv4 socket addresses, multicast membership and {@code pollfd}, with the socket-level constants
 * (from {@code <linux/in.h>}, {@code <asm-generic/socket.h>}, {@code <linux/socket.h>},
 * {@code <asm-generic/poll.h>}).
 * <pre>
 * struct sockaddr_in (16 bytes)          struct ip_mreqn (12 bytes)       struct pollfd (8 bytes)
 *  0 +----------------+--------------+    0 +--------------------------+   0 +------------+
 *    | sin_family u16 | sin_port be16|      | imr_multiaddr  be32      |     | fd  int    |
 *  4 +----------------+--------------+    4 +--------------------------+   4 +------+-----+
 *    | sin_addr be32                 |      | imr_address    be32      |     |events|rev- |
 *  8 +-------------------------------+    8 +--------------------------+     | s16  |ents |
 *    | sin_zero[8]                   |      | imr_ifindex    int       |   8 +------+-----+
 * 16 +-------------------------------+   12 +--------------------------+
 * </pre>
 * Port and addresses are in network byte order; {@link #writeSockaddrIn} and
 * {@link #writeIpMreqn} take them as ordinary host {@code int}s.
 */
public final class SocketLayouts {
    /** IPv4. */
    public static final int AF_INET = 2;
    /** Packet sockets, see {@link PacketSocketLayouts}. */
    public static final int AF_PACKET = 17;
    /** XDP sockets, see {@link XdpSocketLayouts}. */
    public static final int AF_XDP = 44;

    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;

    public static final int IPPROTO_IP = 0;
    public static final int IPPROTO_UDP = 17;

    public static final int SOL_SOCKET = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_REUSEPORT = 15;
    public static final int SO_BINDTODEVICE = 25;
    /** Attach a classic BPF program ({@code sock_fprog}, see {@link PacketSocketLayouts#SOCK_FPROG}). */
    public static final int SO_ATTACH_FILTER = 26;
    public static final int SO_DETACH_FILTER = 27;
    /** Like SO_RCVBUF but beyond net.core.rmem_max; needs CAP_NET_ADMIN. */
    public static final int SO_RCVBUFFORCE = 33;
    /** Kernel receive time as a {@code timespec} control message ({@link #SCM_TIMESTAMPNS}). */
    public static final int SO_TIMESTAMPNS = 35;
    public static final int SCM_TIMESTAMPNS = SO_TIMESTAMPNS;
    /** Timestamping with {@code SOF_*} flags ({@link TimestampingLayouts}); control message {@link #SCM_TIMESTAMPING}. */
    public static final int SO_TIMESTAMPING = 37;
    public static final int SCM_TIMESTAMPING = SO_TIMESTAMPING;
    /** Report the socket's drop count as a control message. */
    public static final int SO_RXQ_OVFL = 40;
    public static final int SO_LOCK_FILTER = 44;
    /** Microseconds to busy-poll the device queue on blocking receives. */
    public static final int SO_BUSY_POLL = 46;
    public static final int SO_INCOMING_CPU = 49;
    public static final int SO_ATTACH_BPF = 50;
    public static final int SO_INCOMING_NAPI_ID = 56;
    public static final int SO_PREFER_BUSY_POLL = 69;
    public static final int SO_BUSY_POLL_BUDGET = 70;

    public static final int IP_PKTINFO = 8;
    public static final int IP_MULTICAST_IF = 32;
    public static final int IP_MULTICAST_TTL = 33;
    public static final int IP_MULTICAST_LOOP = 34;
    /** Join a group: {@code ip_mreqn}. */
    public static final int IP_ADD_MEMBERSHIP = 35;
    public static final int IP_DROP_MEMBERSHIP = 36;

    public static final int MSG_PEEK = 0x2;
    public static final int MSG_CTRUNC = 0x8;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_ERRQUEUE = 0x2000;
    /** recvmmsg: block for the first datagram only. */
    public static final int MSG_WAITFORONE = 0x10000;

    public static final short POLLIN = 0x1;
    public static final short POLLPRI = 0x2;
    public static final short POLLOUT = 0x4;
    public static final short POLLERR = 0x8;
    public static final short POLLHUP = 0x10;
    public static final short POLLNVAL = 0x20;

    /** A 16-bit field in network byte order. */
    public static final ValueLayout.OfShort NET_SHORT = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);
    /** A 32-bit field in network byte order. */
    public static final ValueLayout.OfInt NET_INT = JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN);

    /** {@code struct sockaddr_in}. */
    public static final StructLayout SOCKADDR_IN = MemoryLayout.structLayout(
        JAVA_SHORT.withName("sin_family"),
        NET_SHORT.withName("sin_port"),
        NET_INT.withName("sin_addr"),
        MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("sin_zero"));
    public static final long SIN_FAMILY_OFFSET = SOCKADDR_IN.byteOffset(groupElement("sin_family"));
    public static final long SIN_PORT_OFFSET = SOCKADDR_IN.byteOffset(groupElement("sin_port"));
    public static final long SIN_ADDR_OFFSET = SOCKADDR_IN.byteOffset(groupElement("sin_addr"));

    /** {@code struct ip_mreqn}, for IP_ADD_MEMBERSHIP and IP_MULTICAST_IF. */
    public static final StructLayout IP_MREQN = MemoryLayout.structLayout(
        NET_INT.withName("imr_multiaddr"),
        NET_INT.withName("imr_address"),
        JAVA_INT.withName("imr_ifindex"));
    public static final long IMR_MULTIADDR_OFFSET = IP_MREQN.byteOffset(groupElement("imr_multiaddr"));
    public static final long IMR_ADDRESS_OFFSET = IP_MREQN.byteOffset(groupElement("imr_address"));
    public static final long IMR_IFINDEX_OFFSET = IP_MREQN.byteOffset(groupElement("imr_ifindex"));

    /** {@code struct pollfd}. */
    public static final StructLayout POLLFD = MemoryLayout.structLayout(
        JAVA_INT.withName("fd"),
        JAVA_SHORT.withName("events"),
        JAVA_SHORT.withName("revents"));
    public static final long POLLFD_FD_OFFSET = POLLFD.byteOffset(groupElement("fd"));
    public static final long POLLFD_EVENTS_OFFSET = POLLFD.byteOffset(groupElement("events"));
    public static final long POLLFD_REVENTS_OFFSET = POLLFD.byteOffset(groupElement("revents"));

    private SocketLayouts() {
    }

    /** Fills a {@code sockaddr_in}; {@code address} is the IPv4 address as a host int, e.g. 0x7f000001. */
    public static void writeSockaddrIn(MemorySegment sockaddr, int address, int port) {
        sockaddr.fill((byte) 0);
        sockaddr.set(JAVA_SHORT, SIN_FAMILY_OFFSET, (short) AF_INET);
        sockaddr.set(NET_SHORT, SIN_PORT_OFFSET, (short) port);
        sockaddr.set(NET_INT, SIN_ADDR_OFFSET, address);
    }

    /** The port of a {@code sockaddr_in}, 0..65535. */
    public static int sockaddrInPort(MemorySegment sockaddr) {
        return Short.toUnsignedInt(sockaddr.get(NET_SHORT, SIN_PORT_OFFSET));
    }

    /** The IPv4 address of a {@code sockaddr_in} as a host int. */
    public static int sockaddrInAddress(MemorySegment sockaddr) {
        return sockaddr.get(NET_INT, SIN_ADDR_OFFSET);
    }

    /** Fills an {@code ip_mreqn}: join {@code group} on the interface {@code interfaceIndex} (0: let routing choose). */
    public static void writeIpMreqn(MemorySegment mreqn, int group, int localAddress, int interfaceIndex) {
        mreqn.set(NET_INT, IMR_MULTIADDR_OFFSET, group);
        mreqn.set(NET_INT, IMR_ADDRESS_OFFSET, localAddress);
        mreqn.set(JAVA_INT, IMR_IFINDEX_OFFSET, interfaceIndex);
    }

    /** A dotted-quad IPv4 literal ({@code "239.1.2.3"}) as a host int; no name lookup. */
    public static int ipv4(String dottedQuad) {
        String[] parts = dottedQuad.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + dottedQuad + "' is not an IPv4 address like 239.1.2.3");
        }
        int address = 0;
        for (String part : parts) {
            int octet;
            try {
                octet = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                octet = -1;
            }
            if (octet < 0 || octet > 255) {
                throw new IllegalArgumentException("'" + dottedQuad + "' is not an IPv4 address like 239.1.2.3");
            }
            address = address << 8 | octet;
        }
        return address;
    }
}
