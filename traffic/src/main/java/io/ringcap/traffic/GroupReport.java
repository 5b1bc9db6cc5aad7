package io.ringcap.traffic;

/**
 * What went to one group: the packets sent and the range of sequence numbers they carried, every
 * number in between exactly once.
 *
 * @param group         the group
 * @param packets       packets sent to it
 * @param firstSequence the sequence number of its first packet (1)
 * @param lastSequence  that of its last packet; {@code firstSequence - 1} if none was sent
 */
public record GroupReport(GroupAddress group, long packets, long firstSequence, long lastSequence) {
}
