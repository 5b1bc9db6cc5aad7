package io.ringcap.pcap;

import java.io.IOException;

/**
 * A pcap or pcapng file is not what its format says it must be. Names the byte offset, from the
 * start of the file, of the block or field at fault, and why it was refused. Every malformed
 * input ends in this exception (or {@link PcapTruncatedException}), never in another runtime
 * exception or an outsized allocation.
 */
public class PcapFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long offset;
    private final String reason;

    /**
     * @param offset byte offset in the file of what is wrong.
     * @param reason what is wrong, for a person to read.
     */
    public PcapFormatException(final long offset, final String reason) {
        super("at byte offset " + offset + ": " + reason);
        this.offset = offset;
        this.reason = reason;
    }

    /** @return byte offset in the file of what is wrong. */
    public long offset() {
        return offset;
    }

    /** @return what is wrong, without the offset. */
    public String reason() {
        return reason;
    }
}
