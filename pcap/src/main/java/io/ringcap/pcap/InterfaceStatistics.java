package io.ringcap.pcap;

import java.util.List;

/**
 * A pcapng Interface Statistics Block: counters since capture on an interface began. Counts and
 * times the block does not give are -1; times are nanoseconds since the Unix epoch.
 *
 * @param interfaceId      the interface counted, in its section.
 * @param timestampNanos   when the counters were read.
 * @param startTimeNanos   {@code isb_starttime}.
 * @param endTimeNanos     {@code isb_endtime}.
 * @param received         {@code isb_ifrecv}: packets the interface received.
 * @param interfaceDropped {@code isb_ifdrop}: packets the interface dropped.
 * @param filterAccepted   {@code isb_filteraccept}: packets the filter let through.
 * @param osDropped        {@code isb_osdrop}: packets dropped after the interface.
 * @param userDelivered    {@code isb_usrdeliv}: packets delivered to the capturing program.
 * @param comments         every {@code opt_comment}.
 */
public record InterfaceStatistics(
    int interfaceId, long timestampNanos, long startTimeNanos, long endTimeNanos, long received,
    long interfaceDropped, long filterAccepted, long osDropped, long userDelivered, List<String> comments) {

    /** Copies {@code comments}, so the record stays immutable. */
    public InterfaceStatistics {
        comments = List.copyOf(comments);
    }
}
