package io.ringcap.pcap;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** A packet copied out of a {@link PacketView}, to compare whole files in tests. */
record PacketRecord(
    int interfaceId, long timestampNanos, int capturedLength, long originalLength, int flags, long dropCount,
    List<String> comments, String data) {

    static PacketRecord of(final PacketView packet) {
        return new PacketRecord(packet.interfaceId(), packet.timestampNanos(), packet.capturedLength(),
            packet.originalLength(), packet.flags(), packet.dropCount(), packet.comments(),
            HexFormat.of().formatHex(packet.data().toArray(ValueLayout.JAVA_BYTE)));
    }

    static List<PacketRecord> readAll(final PacketReader reader) throws java.io.IOException {
        final List<PacketRecord> packets = new ArrayList<>();
        while (reader.next()) {
            packets.add(of(reader.packet()));
        }
        return packets;
    }

    static List<PacketRecord> readAll(final byte[] file) throws java.io.IOException {
        try (PacketReader reader = PacketReader.open(new MemoryChannel(file))) {
            return readAll(reader);
        }
    }
}
