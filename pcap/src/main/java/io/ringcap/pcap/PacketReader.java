package io.ringcap.pcap;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Streams the packets of a pcap or pcapng file, whichever the file's magic number says it is
 * (never its name). Memory stays bounded whatever the file size: the reader holds one window of
 * the input, at most a block ({@link #MAX_BLOCK_LENGTH}) more than its read-ahead.
 *
 * <pre>{@code
 * try (PacketReader reader = PacketReader.open(path)) {
 *     while (reader.next()) {
 *         PacketView packet = reader.packet();
 *         ... packet.timestampNanos(), packet.buffer(), packet.dataOffset(), packet.capturedLength()
 *     }
 * }
 * }</pre>
 *
 * <p>Malformed input ends in a {@link PcapFormatException} naming the offset; input cut short in a
 * block ends in a {@link PcapTruncatedException} once every complete packet before it was
 * delivered. Not thread-safe.
 */
public sealed interface PacketReader extends Closeable permits PcapReader, PcapngReader {
    /** The largest block or record accepted: bigger claims are refused before anything is allocated. */
    int MAX_BLOCK_LENGTH = 16 * 1024 * 1024;

    /**
     * Opens a file and reads its header. Closing the reader closes the file.
     *
     * @param file a pcap or pcapng file.
     * @return a {@link PcapReader} or a {@link PcapngReader}.
     */
    static PacketReader open(final Path file) throws IOException {
        final FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return open(new InputWindow(channel), channel);
        } catch (final IOException | RuntimeException | Error e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Reads a file from a channel's current position. The channel stays the caller's: closing the
     * reader leaves it open. A {@link java.nio.channels.SeekableByteChannel} lets the reader tell
     * a truncated file from a corrupt length without reading to the end.
     *
     * @param channel a blocking channel, e.g. a FileChannel or a pipe.
     * @return a {@link PcapReader} or a {@link PcapngReader}.
     */
    static PacketReader open(final ReadableByteChannel channel) throws IOException {
        return open(new InputWindow(channel), null);
    }

    private static PacketReader open(final InputWindow input, final Closeable owned) throws IOException {
        if (!input.request(Integer.BYTES)) {
            if (input.available() == 0) {
                throw new PcapFormatException(0, "the input is empty: no pcap or pcapng magic number");
            }
            throw new PcapTruncatedException(0, "the input ends inside the magic number",
                Integer.BYTES - input.available());
        }
        final int magic = input.segment().get(ByteOrderLayouts.BIG_ENDIAN.u32, input.start());
        if (magic == PcapngDescriptor.SECTION_HEADER_BLOCK) {
            return new PcapngReader(input, owned);
        }
        if (PcapReader.isMagic(magic) || PcapReader.isMagic(Integer.reverseBytes(magic))) {
            return new PcapReader(input, owned);
        }
        throw new PcapFormatException(input.offset(), unknownMagic(magic));
    }

    private static String unknownMagic(final int magic) {
        final String hex = String.format("0x%08x", magic);
        if ((magic >>> 16) == 0x1F8B) {
            return "magic " + hex + " is gzip: decompress the file first";
        }
        if (magic == 0x28B5_2FFD) {
            return "magic " + hex + " is zstd: decompress the file first";
        }
        return "magic " + hex + " is neither pcap (a1b2c3d4, a1b23c4d, a1b2cd34, either byte order) nor pcapng (0a0d0d0a)";
    }

    /**
     * Moves to the next packet, reading and interpreting the blocks before it.
     *
     * @return false at the end of the input.
     * @throws PcapFormatException    if the input is malformed there.
     * @throws PcapTruncatedException if the input ends inside a block or record.
     */
    boolean next() throws IOException;

    /** @return the packet {@link #next()} moved to; the same view every time, valid until the next call. */
    PacketView packet();

    /** @return packets delivered so far. */
    long packetCount();

    /** @return the interfaces known now: for pcapng, those of the current section. */
    List<CaptureInterface> interfaces();

    /** @return the byte order of the file or, for pcapng, of the current section. */
    ByteOrder byteOrder();
}
