package io.ringcap.capture;

/**
 * A source's own count of packets, as the kernel or NIC keeps it.
 *
 * @param received packets that reached the source (passed its filter), including those it then dropped
 * @param dropped  packets the source dropped because the capture thread did not take them in time
 */
public record SourceCounters(long received, long dropped) {
}
