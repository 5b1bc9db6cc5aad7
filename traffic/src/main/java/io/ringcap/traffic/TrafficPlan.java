package io.ringcap.traffic;

import java.util.HashSet;
import java.util.List;

/**
 * What a {@link TrafficGenerator} sends: to which groups, out of which interface, how fast, how
 * big and for how long. Packets go to the groups in turn (round robin), each group with its own
 * sequence numbers from 1; the rate and the packet limit count packets to all groups together.
 * The generator stops at whichever limit comes first.
 *
 * @param interfaceName   the interface the multicast leaves by (IP_MULTICAST_IF), e.g. {@code veth-tx}
 * @param groups          the groups, at least one, no repeats
 * @param packetsPerSecond packets per second to all groups together, or {@link PacketRate#FLAT_OUT}
 * @param payloadSize     UDP payload bytes of every packet, {@link MoldHeader#LENGTH} to {@link #MAX_PAYLOAD}
 * @param packetLimit     packets to send in all, or {@link #NO_LIMIT}
 * @param durationNanos   how long to send, or {@link #NO_LIMIT}
 * @param sourcePort      UDP source port, or 0 for one the kernel chooses
 * @param session         the MoldUDP64 session, at most 10 ASCII characters
 */
public record TrafficPlan(
    String interfaceName,
    List<GroupAddress> groups,
    long packetsPerSecond,
    int payloadSize,
    long packetLimit,
    long durationNanos,
    int sourcePort,
    String session) {

    /** No limit of this kind. */
    public static final long NO_LIMIT = Long.MAX_VALUE;
    /** The largest UDP payload over IPv4: 65535 − 20 (IP header) − 8 (UDP header). */
    public static final int MAX_PAYLOAD = 65_507;
    /** The session used unless another is given. */
    public static final String DEFAULT_SESSION = "RINGCAP";

    /** Checks every field, with messages fit for a user. */
    public TrafficPlan {
        groups = List.copyOf(groups);
        if (interfaceName == null || interfaceName.isBlank()) {
            throw new IllegalArgumentException("name the interface to send from, e.g. eth0");
        }
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("give at least one group to send to, e.g. 239.1.1.1:5000");
        }
        if (new HashSet<>(groups).size() != groups.size()) {
            throw new IllegalArgumentException("a group is given twice in " + groups);
        }
        if (packetsPerSecond <= 0) {
            throw new IllegalArgumentException("the rate must be at least 1 packet per second, got " + packetsPerSecond);
        }
        if (payloadSize < MoldHeader.LENGTH || payloadSize > MAX_PAYLOAD) {
            throw new IllegalArgumentException("payload size " + payloadSize + " is outside " + MoldHeader.LENGTH
                + " (the MoldUDP64 header) to " + MAX_PAYLOAD + " bytes (the largest UDP payload)");
        }
        if (packetLimit <= 0 || durationNanos <= 0) {
            throw new IllegalArgumentException("the packet count and the duration must be positive");
        }
        if (packetLimit == NO_LIMIT && durationNanos == NO_LIMIT) {
            throw new IllegalArgumentException("give a packet count or a duration: without either it never stops");
        }
        if (sourcePort < 0 || sourcePort > 65_535) {
            throw new IllegalArgumentException("source port " + sourcePort + " is outside 0 (any) to 65535");
        }
        MoldHeader.sessionBytes(session);
    }

    /** A plan for {@code count} packets to {@code groups} at {@code packetsPerSecond}, from any port, default session. */
    public static TrafficPlan ofCount(
        String interfaceName, List<GroupAddress> groups, long packetsPerSecond, int payloadSize, long count) {
        return new TrafficPlan(interfaceName, groups, packetsPerSecond, payloadSize, count, NO_LIMIT, 0, DEFAULT_SESSION);
    }
}
