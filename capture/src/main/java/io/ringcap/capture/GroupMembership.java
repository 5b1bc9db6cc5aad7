package io.ringcap.capture;

import io.ringcap.linux.LinuxException;
import io.ringcap.linux.SocketLayouts;
import io.ringcap.linux.Sockets;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * IGMP membership of the groups on one interface, held by a socket that receives nothing: what makes
 * the switch and the kernel deliver a group to a source that reads below the IP stack (afpacket). The
 * kernel leaves the groups when {@link #close()} closes the socket (or the process dies).
 */
final class GroupMembership implements AutoCloseable {
    private final int fd;

    private GroupMembership(int fd) {
        this.fd = fd;
    }

    /** Joins every group address of {@code groups} on the interface {@code interfaceIndex}. */
    static GroupMembership join(String interfaceName, int interfaceIndex, List<MulticastGroup> groups) {
        int fd = Sockets.open(SocketLayouts.AF_INET, SocketLayouts.SOCK_DGRAM | SocketLayouts.SOCK_CLOEXEC, 0);
        Set<Integer> joined = new LinkedHashSet<>();
        try {
            for (MulticastGroup group : groups) {
                if (joined.add(group.address())) {
                    joinOne(fd, interfaceName, interfaceIndex, group);
                }
            }
            return new GroupMembership(fd);
        } catch (RuntimeException e) {
            Sockets.close(fd);
            throw e;
        }
    }

    /** Joins {@code group} with the socket {@code fd}, with a message that names group and interface. */
    static void joinOne(int fd, String interfaceName, int interfaceIndex, MulticastGroup group) {
        try {
            Sockets.joinMulticastGroup(fd, group.address(), interfaceIndex);
        } catch (LinuxException e) {
            throw new CaptureException("cannot join group " + group.addressText() + " on " + interfaceName + ": "
                + e.getMessage() + (e.errnoName().equals("ENOBUFS")
                    ? " (net.ipv4.igmp_max_memberships limits the groups a socket may join)" : ""), e);
        }
    }

    @Override
    public void close() {
        Sockets.close(fd);
    }
}
