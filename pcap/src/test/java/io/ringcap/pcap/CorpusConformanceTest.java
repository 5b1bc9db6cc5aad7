package io.ringcap.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every file of the public corpus decodes as its MANIFEST (and the generator's .txt) says. */
class CorpusConformanceTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern SECTION = Pattern.compile("S(\\d+):(LE|BE) v(\\d+)\\.(\\d+) IDB\\[([^]]*)]");
    private static final Pattern BLOCK_COUNT = Pattern.compile("'(\\w+)': (\\d+)");
    private static final Pattern PACKETS = Pattern.compile("packets=(\\d+)");
    private static final Pattern CUT_PACKETS = Pattern.compile("caplen<origlen=(\\d+)");
    private static final Pattern PCAP = Pattern.compile(
        "pcap (LE|BE) ts=(us|ns) v2\\.4 linktype=(\\d+)\\(\\w+\\) snaplen=(\\d+) packets=(\\d+)");
    private static final Map<Integer, String> BLOCK_NAMES = Map.of(
        PcapngDescriptor.SECTION_HEADER_BLOCK, "SHB", PcapngDescriptor.INTERFACE_DESCRIPTION_BLOCK, "IDB",
        PcapngDescriptor.PACKET_BLOCK, "PB", PcapngDescriptor.SIMPLE_PACKET_BLOCK, "SPB",
        PcapngDescriptor.NAME_RESOLUTION_BLOCK, "NRB", PcapngDescriptor.INTERFACE_STATISTICS_BLOCK, "ISB",
        PcapngDescriptor.ENHANCED_PACKET_BLOCK, "EPB", PcapngDescriptor.DECRYPTION_SECRETS_BLOCK, "DSB",
        PcapngDescriptor.CUSTOM_BLOCK, "CB", PcapngDescriptor.CUSTOM_BLOCK_NO_COPY, "DCB");

    static Stream<Corpus.Entry> captures() throws IOException {
        final List<Corpus.Entry> entries = Corpus.entries();
        assumeTrue(!entries.isEmpty(), Corpus.ABSENT);
        return entries.stream().filter(entry -> !entry.isDocument());
    }

    static Stream<String> littleEndianGeneratorFiles() throws IOException {
        return captures().map(Corpus.Entry::localPath)
            .filter(path -> path.startsWith("pcapng-test-generator/output_le/") && path.endsWith(".pcapng"));
    }

    @ParameterizedTest
    @MethodSource("captures")
    void everyCaptureDecodesAsTheManifestSays(final Corpus.Entry entry) {
        assertTimeoutPreemptively(TIMEOUT, () -> {
            if (entry.holds().startsWith("pcapng ")) {
                checkPcapng(entry);
            } else if (entry.holds().startsWith("pcap ")) {
                checkPcap(entry);
            } else if (entry.holds().startsWith("Kuznetzov modified pcap")) {
                // One ICMP echo of 98 bytes, as a hex dump of the file shows.
                try (PacketReader reader = PacketReader.open(entry.file())) {
                    assertThat(((PcapReader) reader).magic()).isEqualTo(PcapDescriptor.MAGIC_MODIFIED);
                    assertThat(PacketRecord.readAll(reader)).singleElement()
                        .satisfies(packet -> assertThat(packet.capturedLength()).isEqualTo(98));
                }
            } else {
                assertThatThrownBy(() -> {
                    try (PacketReader reader = PacketReader.open(entry.file())) {
                        PacketRecord.readAll(reader);
                    }
                }).isInstanceOf(PcapFormatException.class).hasMessageContaining("at byte offset");
            }
        });
    }

    private static void checkPcapng(final Corpus.Entry entry) throws IOException {
        final List<String> blocks = new ArrayList<>();
        final List<List<CaptureInterface>> sectionInterfaces = new ArrayList<>();
        final List<PacketRecord> packets = new ArrayList<>();
        try (PcapngReader reader = (PcapngReader) PacketReader.open(entry.file())) {
            reader.blockObserver((type, offset, length) -> {
                blocks.add(BLOCK_NAMES.getOrDefault(type, "0x" + Integer.toHexString(type)));
                if (type == PcapngDescriptor.SECTION_HEADER_BLOCK && blocks.size() > 1) {
                    sectionInterfaces.add(List.copyOf(reader.interfaces()));
                }
            });
            while (reader.next()) {
                packets.add(PacketRecord.of(reader.packet()));
            }
            sectionInterfaces.add(List.copyOf(reader.interfaces()));

            final Map<String, Integer> expectedBlocks = new TreeMap<>();
            final Matcher counts = BLOCK_COUNT.matcher(entry.holds().substring(entry.holds().indexOf("blocks=")));
            while (counts.find()) {
                expectedBlocks.put(counts.group(1), Integer.parseInt(counts.group(2)));
            }
            final Map<String, Integer> actualBlocks = new TreeMap<>();
            blocks.forEach(name -> actualBlocks.merge(name, 1, Integer::sum));
            assertThat(actualBlocks).isEqualTo(expectedBlocks);

            final Path description = Path.of(entry.file().toString().replaceFirst("\\.pcapng$", ".txt"));
            if (Files.exists(description)) {
                assertThat(String.join(", ", blocks)).isEqualTo(blockSequence(description));
            }

            final List<Boolean> supported = new ArrayList<>();
            final Matcher sections = SECTION.matcher(entry.holds());
            for (int index = 0; sections.find(); index++) {
                final boolean versionOne = sections.group(3).equals("1");
                supported.add(versionOne);
                if (versionOne) {
                    assertThat(describe(sectionInterfaces.get(index))).as("section %d interfaces", index)
                        .isEqualTo(sections.group(5));
                }
            }
            assertThat(sectionInterfaces).hasSameSizeAs(supported);
            assertThat(reader.skippedSections()).isEqualTo(supported.stream().filter(ok -> !ok).count());

            final int manifestPackets = intOf(PACKETS, entry.holds());
            assertThat(packets).hasSize(manifestPackets - packetBlocksIn(blocks, supported));
            if (reader.skippedSections() == 0) {
                final Matcher cut = CUT_PACKETS.matcher(entry.holds());
                assertThat(packets.stream().filter(p -> p.capturedLength() < p.originalLength()).count())
                    .isEqualTo(cut.find() ? Long.parseLong(cut.group(1)) : 0);
            }
        }
    }

    private static void checkPcap(final Corpus.Entry entry) throws IOException {
        final Matcher header = PCAP.matcher(entry.holds());
        assertThat(header.find()).as(entry.holds()).isTrue();
        try (PacketReader reader = PacketReader.open(entry.file())) {
            assertThat(reader).isInstanceOf(PcapReader.class);
            assertThat(reader.byteOrder())
                .isEqualTo(header.group(1).equals("LE") ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            final CaptureInterface captureInterface = reader.interfaces().getFirst();
            assertThat(captureInterface.timestampResolution()).isEqualTo(header.group(2).equals("us") ? 6 : 9);
            assertThat(captureInterface.linkType()).isEqualTo(Integer.parseInt(header.group(3)));
            assertThat(captureInterface.snapLength()).isEqualTo(Long.parseLong(header.group(4)));
            assertThat(PacketRecord.readAll(reader)).hasSize(Integer.parseInt(header.group(5)));
        }
    }

    /** Packet blocks inside sections the reader must skip. */
    private static int packetBlocksIn(final List<String> blocks, final List<Boolean> supported) {
        int section = -1;
        int skipped = 0;
        for (final String block : blocks) {
            if (block.equals("SHB")) {
                section++;
            } else if (!supported.get(section) && (block.equals("EPB") || block.equals("SPB") || block.equals("PB"))) {
                skipped++;
            }
        }
        return skipped;
    }

    /** In the MANIFEST's notation: link type / resolution, e.g. "1/10^-6,0/2^-8". */
    private static String describe(final List<CaptureInterface> interfaces) {
        final List<String> described = new ArrayList<>();
        for (final CaptureInterface captureInterface : interfaces) {
            final int resolution = captureInterface.timestampResolution();
            described.add(captureInterface.linkType() + "/" + ((resolution & 0x80) != 0 ? "2" : "10") + "^-"
                + (resolution & 0x7F));
        }
        return String.join(",", described);
    }

    private static String blockSequence(final Path description) throws IOException {
        return Files.readAllLines(description).stream().filter(line -> line.startsWith("Block sequence:"))
            .map(line -> line.substring("Block sequence:".length()).trim()).findFirst().orElseThrow();
    }

    private static int intOf(final Pattern pattern, final String text) {
        final Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as(text).isTrue();
        return Integer.parseInt(matcher.group(1));
    }

    @ParameterizedTest
    @MethodSource("littleEndianGeneratorFiles")
    void bigAndLittleEndianTwinsHoldTheSamePackets(final String littleEndianPath) {
        assertTimeoutPreemptively(TIMEOUT, () -> {
            final Path directory = Corpus.directory();
            final Path bigEndian = directory.resolve(littleEndianPath.replace("/output_le/", "/output_be/"));
            assertThat(read(bigEndian)).isEqualTo(read(directory.resolve(littleEndianPath)));
        });
    }

    private static Map<String, Object> read(final Path file) throws IOException {
        final Map<String, Object> content = new LinkedHashMap<>();
        try (PacketReader reader = PacketReader.open(file)) {
            final List<PacketRecord> packets = new ArrayList<>();
            final List<CaptureInterface> interfaces = new ArrayList<>();
            while (reader.next()) {
                packets.add(PacketRecord.of(reader.packet()));
                interfaces.add(reader.packet().captureInterface());
            }
            content.put("packets", packets);
            content.put("interfaces", interfaces);
        }
        return content;
    }

    @Test
    void sectionOfUnsupportedVersionIsSkippedAndTheNextSectionIsRead() throws IOException {
        final Path directory = Corpus.directory();
        assumeTrue(directory != null, Corpus.ABSENT);
        for (final String order : List.of("le", "be")) {
            try (PcapngReader reader = (PcapngReader) PacketReader.open(
                directory.resolve("gopacket-pcapgo/" + order + "/test901.pcapng"))) {
                final List<PacketRecord> packets = PacketRecord.readAll(reader);
                assertThat(packets).extracting(PacketRecord::originalLength).containsExactly(314L, 314L);
                assertThat(reader.skippedSections()).isEqualTo(1);
                assertThat(reader.warnings()).singleElement().asString()
                    .contains("byte offset 480", "version 2.0", "skipped");
                assertThat(reader.section().comments()).containsExactly("test901 SHB-2");
            }
        }
    }

    @Test
    void binaryResolutionIsConvertedToExactNanoseconds() throws IOException {
        final Path directory = Corpus.directory();
        assumeTrue(directory != null, Corpus.ABSENT);
        for (final String order : List.of("le", "be")) {
            try (PacketReader reader = PacketReader.open(directory.resolve("gopacket-pcapgo/" + order + "/test902.pcapng"))) {
                assertThat(reader.next()).isTrue();
                assertThat(reader.packet().captureInterface().timestampResolution()).isEqualTo(0x88);
                // tshark prints 1519128000.195312500: 50/256 s is exactly 195312500 ns.
                assertThat(reader.packet().timestampNanos()).isEqualTo(1_519_128_000_195_312_500L);
            }
        }
    }

    @Test
    void nanosecondInterfacesWithAllOptionsAreDescribed() throws IOException {
        final Path directory = Corpus.directory();
        assumeTrue(directory != null, Corpus.ABSENT);
        try (PcapngReader reader = (PcapngReader) PacketReader.open(
            directory.resolve("pcapng-test-generator/output_be/basic/test008.pcapng"))) {
            final List<PacketRecord> packets = PacketRecord.readAll(reader);
            assertThat(packets).extracting(PacketRecord::timestampNanos).containsExactly(
                1_340_954_905_298_858L, 1_340_954_905_299_858L, 1_340_954_905_300_858L, 1_340_954_905_301_858L);
            final CaptureInterface first = reader.interfaces().getFirst();
            assertThat(first.name()).isEqualTo("eth-_0 foo");
            assertThat(first.description()).isEqualTo("silly ethernet interface");
            assertThat(first.filter()).isEqualTo("tcp port 23 and host 192.0.2.5");
            assertThat(first.os()).isEqualTo("Microsoft Windows for Workgroups 3.11b\npatch 42");
            assertThat(first.timestampResolution()).isEqualTo(9);
            assertThat(first.comments()).containsExactly("test008, and more\nfoo\r\nbar");
            assertThat(reader.section().hardware()).isEqualTo("Apple MBP");
            assertThat(reader.section().userApplication()).isEqualTo("pcap_writer.lua");
        }
    }

    @Test
    void simplePacketHoldsTheSmallerOfOriginalAndSnapLength() throws IOException {
        final Path directory = Corpus.directory();
        assumeTrue(directory != null, Corpus.ABSENT);
        final List<PacketRecord> packets;
        try (PacketReader reader = PacketReader.open(directory.resolve("pcapng-test-generator/output_le/basic/test012.pcapng"))) {
            packets = PacketRecord.readAll(reader);
        }
        // tshark: 314/314 and 342/315 for both the SPBs and the EPBs; the IDB's snap length is 315.
        assertThat(packets).extracting(PacketRecord::capturedLength).containsExactly(314, 315, 314, 315);
        assertThat(packets).extracting(PacketRecord::originalLength).containsExactly(314L, 342L, 314L, 342L);
        assertThat(packets.subList(0, 2)).allSatisfy(packet ->
            assertThat(packet.timestampNanos()).isEqualTo(PacketView.NO_TIMESTAMP));
    }
}
