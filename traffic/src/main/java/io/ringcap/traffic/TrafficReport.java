package io.ringcap.traffic;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link TrafficGenerator} sent. Every packet counted here was accepted by the kernel;
 * sends the kernel refused for a passing reason (ENOBUFS, EAGAIN, EINTR) are counted in
 * {@link #retriedSends()} and sent again, never skipped, so sequence numbers have no gaps.
 *
 * @param packets        packets sent to all groups
 * @param payloadBytes   UDP payload bytes sent (packets × payload size)
 * @param durationNanos  from the first send to the end of the last
 * @param maxLatenessNanos how far behind its schedule the sender fell at worst: a few
 *                       microseconds when the host keeps up; more when the rate is above what
 *                       it can send or the thread was descheduled (it then caught up in full
 *                       batches); 0 without pacing
 * @param groups         per group, in the order of the plan
 * @param retriedSends   errno name → sendmmsg calls that failed with it and were retried
 * @param failure        why sending stopped early, if it did (a send error that retrying cannot cure)
 */
public record TrafficReport(
    long packets,
    long payloadBytes,
    long durationNanos,
    long maxLatenessNanos,
    List<GroupReport> groups,
    Map<String, Long> retriedSends,
    Optional<String> failure) {

    private static final double NANOS_PER_SECOND = 1e9;

    /** Packets per second achieved over {@link #durationNanos()}; 0 for fewer than two packets. */
    public double packetsPerSecond() {
        return packets < 2 || durationNanos <= 0 ? 0 : (packets - 1) * NANOS_PER_SECOND / durationNanos;
    }

    /** UDP payload bits per second achieved. */
    public double payloadBitsPerSecond() {
        return packets == 0 ? 0 : packetsPerSecond() * (payloadBytes / packets) * Byte.SIZE;
    }

    /** Sends retried for any reason. */
    public long totalRetriedSends() {
        return retriedSends.values().stream().mapToLong(Long::longValue).sum();
    }
}
