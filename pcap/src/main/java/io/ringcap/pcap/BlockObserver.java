package io.ringcap.pcap;

/**
 * Told of every pcapng block a {@link PcapngReader} frames, in file order, before the block is
 * interpreted: blocks it skips (unknown types, custom blocks, sections of an unsupported
 * version) included. For tools that list or count blocks; called on the reading thread.
 */
@FunctionalInterface
public interface BlockObserver {
    /**
     * @param blockType  the block type, e.g. {@link PcapngDescriptor#ENHANCED_PACKET_BLOCK}.
     * @param fileOffset byte offset of the block in the file.
     * @param length     the block total length, frame included.
     */
    void onBlock(int blockType, long fileOffset, int length);
}
