package io.ringcap.pcap;

import java.util.List;

/**
 * A source of packets as a file describes it: a pcapng Interface Description Block, or the one
 * implicit interface of a classic pcap file. Text that the file does not give is null.
 *
 * @param linkType               the LINKTYPE_ value, e.g. 1 for Ethernet.
 * @param snapLength             the most bytes of a packet captured; 0 means no limit.
 * @param name                   {@code if_name}.
 * @param description            {@code if_description}.
 * @param filter                 {@code if_filter}, without its leading filter-type byte.
 * @param os                     {@code if_os}.
 * @param hardware               {@code if_hardware}.
 * @param timestampResolution    the {@code if_tsresol} byte: 10^-n seconds, or 2^-n if the top bit is set; 6 when
 *                               absent, 6 or 9 for classic pcap.
 * @param timestampOffsetSeconds {@code if_tsoffset}, already added to the packets' timestamps.
 * @param comments               every {@code opt_comment}.
 */
public record CaptureInterface(
    int linkType, long snapLength, String name, String description, String filter, String os, String hardware,
    int timestampResolution, long timestampOffsetSeconds, List<String> comments) {

    /** Copies {@code comments}, so the record stays immutable. */
    public CaptureInterface {
        comments = List.copyOf(comments);
    }
}
