package io.ringcap.pcap;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.ValueLayout;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;

/** The fuzz tests' invariant: read everything, or stop at a PcapFormatException; nothing else may escape. */
final class ReaderFuzzing {
    private ReaderFuzzing() {
    }

    static void readOrReject(final byte[] file) {
        // Odd lengths go through a pipe, whose size the reader cannot know, so both window paths are fuzzed.
        final ReadableByteChannel channel = file.length % 2 == 0
            ? new MemoryChannel(file)
            : Channels.newChannel(new ByteArrayInputStream(file));
        try (PacketReader reader = PacketReader.open(channel)) {
            while (reader.next()) {
                final PacketView packet = reader.packet();
                if (packet.capturedLength() > 0) {
                    packet.buffer().get(ValueLayout.JAVA_BYTE, packet.dataOffset() + packet.capturedLength() - 1);
                }
                packet.comments();
                if (reader instanceof PcapngReader pcapng) {
                    pcapng.statistics(packet.interfaceId());
                }
            }
        } catch (final PcapFormatException expected) {
            if (expected.offset() < 0 || expected.offset() > file.length) {
                throw new IllegalStateException("offset outside the file: " + expected.getMessage(), expected);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("an in-memory channel cannot fail", e);
        }
    }
}
