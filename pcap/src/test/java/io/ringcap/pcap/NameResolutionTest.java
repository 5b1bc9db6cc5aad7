package io.ringcap.pcap;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Name Resolution Blocks: read into {@link PcapngReader#resolvedNames()}, malformed ones refused with the offset. */
class NameResolutionTest {
    @Test
    void theCorpusNrbIsReadInBothByteOrders() throws IOException {
        final Path directory = Corpus.directory();
        assumeTrue(directory != null, Corpus.ABSENT);
        for (final String order : List.of("le", "be")) {
            final Path file = directory.resolve("pcapng-test-generator/output_" + order + "/basic/test015.pcapng");
            assertThat(readNames(file)).as(order).extracting(ResolvedName::toString)
                .containsExactly("192.168.1.2 example.com", "192.168.3.4 example.net", "10.1.2.3 example.org");
        }
    }

    @Test
    void theCorpusNrbsWithIpv6UnknownTypesAndRepeatsReadAlikeInBothByteOrders() throws IOException {
        final Path directory = Corpus.directory();
        assumeTrue(directory != null, Corpus.ABSENT);
        final List<ResolvedName> little = readNames(
            directory.resolve("pcapng-test-generator/output_le/advanced/test100.pcapng"));
        final List<ResolvedName> big = readNames(
            directory.resolve("pcapng-test-generator/output_be/advanced/test100.pcapng"));
        assertThat(little).isNotEmpty().isEqualTo(big);
        assertThat(little).extracting(ResolvedName::type).contains(ResolvedName.AddressType.IPV4,
            ResolvedName.AddressType.IPV6);
    }

    @Test
    void everyAddressTypeAndSeveralNamesAndUnknownRecordsSkipped() throws IOException {
        final byte[] file = file(nrb(
            record(1, bytes("c0a80001"), "a.example\0b.example\0"),
            record(77, bytes("0102"), "ignored\0"),
            record(2, bytes("20010db8000000000000000000000001"), "six.example\0"),
            record(3, bytes("001122334455"), "mac\0"),
            record(4, bytes("0011223344556677"), "eui64\0"),
            end(),
            option(1, "a comment")));
        try (PcapngReader reader = open(file)) {
            while (reader.next()) {
                continue;
            }
            assertThat(reader.resolvedNames()).extracting(ResolvedName::toString).containsExactly(
                "192.168.0.1 a.example b.example", "2001:db8:0:0:0:0:0:1 six.example", "00:11:22:33:44:55 mac",
                "00:11:22:33:44:55:66:77 eui64");
        }
    }

    @Test
    void aNewSectionStartsWithNoNames() throws IOException {
        final ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(file(nrb(record(1, bytes("0a000001"), "one\0"), end())));
        both.writeBytes(file(nrb(record(1, bytes("0a000002"), "two\0"), end())));
        try (PcapngReader reader = open(both.toByteArray())) {
            while (reader.next()) {
                continue;
            }
            assertThat(reader.resolvedNames()).extracting(ResolvedName::toString).containsExactly("10.0.0.2 two");
        }
    }

    @Test
    void aRecordTooShortForItsAddressIsRefusedAtItsOffset() {
        final byte[] file = file(nrb(record(2, bytes("20010db8"), ""), end()));
        assertThatThrownBy(() -> readAll(file)).isInstanceOf(PcapFormatException.class)
            .hasMessageContaining("name resolution record of type 2 has 4 bytes, too few for its 16-byte address")
            .hasMessageContaining("offset " + (shbLength() + 8));
    }

    @Test
    void anAddressWithoutANameIsRefused() {
        final byte[] file = file(nrb(record(1, bytes("0a000001"), "\0\0\0"), end()));
        assertThatThrownBy(() -> readAll(file)).isInstanceOf(PcapFormatException.class)
            .hasMessageContaining("its 4-byte address and no name");
    }

    @Test
    void aRecordRunningPastItsBlockIsRefused() {
        final byte[] block = nrb(record(1, bytes("0a000001"), "name\0"), end());
        ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN).putShort(10, (short) 400);
        assertThatThrownBy(() -> readAll(file(block))).isInstanceOf(PcapFormatException.class)
            .hasMessageContaining("runs past the end of its block");
    }

    private static List<ResolvedName> readNames(final Path file) throws IOException {
        try (PcapngReader reader = (PcapngReader) PacketReader.open(file)) {
            while (reader.next()) {
                continue;
            }
            return reader.resolvedNames();
        }
    }

    private static void readAll(final byte[] file) throws IOException {
        try (PcapngReader reader = open(file)) {
            while (reader.next()) {
                continue;
            }
        }
    }

    private static PcapngReader open(final byte[] file) throws IOException {
        return (PcapngReader) PacketReader.open(new MemoryChannel(file));
    }

    private static int shbLength() {
        return file().length;
    }

    /** A little-endian section header, then {@code blocks}. */
    private static byte[] file(final byte[]... blocks) {
        final MemoryChannel channel = new MemoryChannel();
        try (PcapngWriter writer = new PcapngWriter(channel, PcapngWriter.MIN_BUFFER_CAPACITY)) {
            writer.writeSectionHeader(null, null, "test", null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(channel.toByteArray());
        for (final byte[] block : blocks) {
            out.writeBytes(block);
        }
        return out.toByteArray();
    }

    private static byte[] nrb(final byte[]... records) {
        int body = 0;
        for (final byte[] record : records) {
            body += record.length;
        }
        final ByteBuffer block = ByteBuffer.allocate(12 + body).order(ByteOrder.LITTLE_ENDIAN);
        block.putInt(PcapngDescriptor.NAME_RESOLUTION_BLOCK).putInt(12 + body);
        for (final byte[] record : records) {
            block.put(record);
        }
        return block.putInt(12 + body).array();
    }

    private static byte[] record(final int type, final byte[] address, final String names) {
        final byte[] text = names.getBytes(StandardCharsets.UTF_8);
        final int length = address.length + text.length;
        final ByteBuffer record = ByteBuffer.allocate(4 + (length + 3) / 4 * 4).order(ByteOrder.LITTLE_ENDIAN);
        return record.putShort((short) type).putShort((short) length).put(address).put(text).array();
    }

    private static byte[] option(final int code, final String text) {
        return record(code, new byte[0], text);
    }

    private static byte[] end() {
        return new byte[4];
    }

    private static byte[] bytes(final String hex) {
        return HexFormat.of().parseHex(hex);
    }
}
