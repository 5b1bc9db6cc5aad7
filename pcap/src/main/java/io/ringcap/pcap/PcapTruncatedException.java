package io.ringcap.pcap;

/**
 * The input ended inside a block or record: the file was cut short, e.g. by a crash, a full disk
 * or a writer still at work. Thrown only once every complete packet before the cut was
 * delivered, so a caller that wants what survived keeps those and reports this.
 */
public final class PcapTruncatedException extends PcapFormatException {
    private static final long serialVersionUID = 1L;

    private final long missingBytes;

    /**
     * @param offset       byte offset of the incomplete block or record.
     * @param reason       what was being read.
     * @param missingBytes how many more bytes it needed, where known, else 0.
     */
    public PcapTruncatedException(final long offset, final String reason, final long missingBytes) {
        super(offset, reason);
        this.missingBytes = missingBytes;
    }

    /** @return how many more bytes the incomplete block needed, where known, else 0. */
    public long missingBytes() {
        return missingBytes;
    }
}
