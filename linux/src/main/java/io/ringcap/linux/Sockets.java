package io.ringcap.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Socket set-up: open, bind, options, ioctls and multicast membership, each throwing a
 * {@link LinuxException} that names the call as C would, e.g.
 * {@code setsockopt(SOL_XDP, XDP_UMEM_REG)}. For start-up, not for the capture loop: the
 * {@code int} variants allocate a few bytes; the receive path is {@link Syscalls} and
 * {@link MessageBatch}.
 */
public final class Sockets {
    private Sockets() {
    }

    /** socket(2): a new socket's file descriptor. */
    public static int open(int domain, int type, int protocol) {
        CallState state = CallState.ofCurrentThread();
        int fd = Syscalls.socket(state, domain, type, protocol);
        if (fd < 0) {
            throw LinuxException.of(
                "socket(" + SocketNames.family(domain) + ", " + SocketNames.type(type) + ")", state.errno());
        }
        return fd;
    }

    /** bind(2) to a socket address ({@code sockaddr_in}, {@code sockaddr_ll}, {@code sockaddr_xdp}). */
    public static void bind(int fd, MemorySegment address) {
        CallState state = CallState.ofCurrentThread();
        if (Syscalls.bind(state, fd, address) < 0) {
            int family = Short.toUnsignedInt(address.get(JAVA_SHORT, 0));
            throw LinuxException.of("bind(" + SocketNames.family(family) + ")", state.errno());
        }
    }

    /** The port an IPv4 socket is bound to (getsockname), e.g. the one the kernel chose for port 0. */
    public static int localPort(int fd) {
        CallState state = CallState.ofCurrentThread();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(SocketLayouts.SOCKADDR_IN);
            MemorySegment length = arena.allocateFrom(JAVA_INT, (int) address.byteSize());
            state.check(Syscalls.getsockname(state, fd, address, length), "getsockname");
            return SocketLayouts.sockaddrInPort(address);
        }
    }

    /** close(2). */
    public static void close(int fd) {
        CallState state = CallState.ofCurrentThread();
        if (Syscalls.close(state, fd) < 0) {
            throw LinuxException.of("close(" + fd + ")", state.errno());
        }
    }

    /** setsockopt(2) with the whole of {@code value} as the option value. */
    public static void setOption(int fd, int level, int name, MemorySegment value) {
        CallState state = CallState.ofCurrentThread();
        if (Syscalls.setsockopt(state, fd, level, name, value) < 0) {
            throw LinuxException.of("setsockopt(" + SocketNames.option(level, name) + ")", state.errno());
        }
    }

    /** setsockopt(2) with an {@code int} value. */
    public static void setOption(int fd, int level, int name, int value) {
        try (Arena arena = Arena.ofConfined()) {
            setOption(fd, level, name, arena.allocateFrom(JAVA_INT, value));
        }
    }

    /** getsockopt(2) into {@code value}: the number of bytes the kernel wrote. */
    public static int getOption(int fd, int level, int name, MemorySegment value) {
        CallState state = CallState.ofCurrentThread();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment length = arena.allocateFrom(JAVA_INT, (int) value.byteSize());
            if (Syscalls.getsockopt(state, fd, level, name, value, length) < 0) {
                throw LinuxException.of("getsockopt(" + SocketNames.option(level, name) + ")", state.errno());
            }
            return length.get(JAVA_INT, 0);
        }
    }

    /** getsockopt(2) of an {@code int} option. */
    public static int intOption(int fd, int level, int name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(JAVA_INT);
            getOption(fd, level, name, value);
            return value.get(JAVA_INT, 0);
        }
    }

    /** ioctl(2) with a pointer argument; {@code call} names it for the error, e.g. {@code "ioctl(eth0, SIOCSHWTSTAMP)"}. */
    public static int ioctl(int fd, long request, MemorySegment argument, String call) {
        CallState state = CallState.ofCurrentThread();
        return state.check(Syscalls.ioctl(state, fd, request, argument), call);
    }

    /**
     * Joins the IPv4 multicast {@code group} (host int, see {@link SocketLayouts#ipv4}) on the
     * interface {@code interfaceIndex}, which sends the IGMP report that makes the network deliver
     * the group; needed even when packets are read through AF_XDP or AF_PACKET.
     */
    public static void joinMulticastGroup(int fd, int group, int interfaceIndex) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mreqn = arena.allocate(SocketLayouts.IP_MREQN);
            SocketLayouts.writeIpMreqn(mreqn, group, 0, interfaceIndex);
            setOption(fd, SocketLayouts.IPPROTO_IP, SocketLayouts.IP_ADD_MEMBERSHIP, mreqn);
        }
    }

    /** Sends this socket's multicast datagrams out of the interface {@code interfaceIndex}. */
    public static void setMulticastInterface(int fd, int interfaceIndex) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mreqn = arena.allocate(SocketLayouts.IP_MREQN);
            SocketLayouts.writeIpMreqn(mreqn, 0, 0, interfaceIndex);
            setOption(fd, SocketLayouts.IPPROTO_IP, SocketLayouts.IP_MULTICAST_IF, mreqn);
        }
    }
}
