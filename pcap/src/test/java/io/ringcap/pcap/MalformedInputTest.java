package io.ringcap.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Malformed input ends in a PcapFormatException that names the offset: never another exception, a hang or a huge allocation. */
class MalformedInputTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** SHB 0, IDB 40, IDB 80, EPB 120 (80 bytes), EPB 200 (44), ISB 244 (88), EPB 332 (48): 380 bytes. */
    private static byte[] smallPcapng() throws IOException {
        final MemoryChannel channel = new MemoryChannel();
        try (PcapngWriter writer = new PcapngWriter(channel, PcapngWriter.MIN_BUFFER_CAPACITY)) {
            writer.writeSectionHeader(null, null, "rc", null);
            writer.writeInterfaceDescription(1, 0, "e0", null, null);
            writer.writeInterfaceDescription(1, 0, "e1", null, null);
            final MemorySegment frame = MemorySegment.ofArray(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13});
            writer.writePacket(0, 1_000, frame, 0, 13, 13, 1, 3, "c");
            writer.writePacket(1, 2_000, frame, 0, 10, 13, 0);
            writer.writeInterfaceStatistics(0, 3_000, 1, 2, 3, 4, 5, null);
            writer.writePacket(0, 4_000, frame, 0, 13, 13, 0);
        }
        return channel.toByteArray();
    }

    private static byte[] smallPcap() throws IOException {
        final MemoryChannel channel = new MemoryChannel();
        try (PcapWriter writer = new PcapWriter(channel, 1, 65535, PcapngWriter.MIN_BUFFER_CAPACITY)) {
            final MemorySegment frame = MemorySegment.ofArray(new byte[] {1, 2, 3, 4, 5, 6, 7});
            writer.writePacket(1_000, frame, 0, 7, 7);
            writer.writePacket(2_000, frame, 0, 3, 7);
            writer.writePacket(3_000, frame, 0, 0, 7);
        }
        return channel.toByteArray();
    }

    @Test
    void pcapngCutAtEveryLengthDeliversEveryCompletePacketThenReportsTheCut() {
        assertTimeoutPreemptively(TIMEOUT, () -> {
            final byte[] file = smallPcapng();
            assertThat(file).hasSize(380);
            final long[] packetEnds = {200, 244, 380};
            final long[] blockStarts = {0, 40, 80, 120, 200, 244, 332, 380};
            for (int length = 0; length < file.length; length++) {
                final int cut = length;
                final List<Long> delivered = new ArrayList<>();
                final Throwable thrown = catchThrowable(() -> readInto(Arrays.copyOf(file, cut), delivered));
                final long complete = Arrays.stream(packetEnds).filter(end -> end <= cut).count();
                assertThat(delivered).as("packets from %d bytes", cut).hasSize((int) complete);
                if (Arrays.stream(blockStarts).anyMatch(start -> start == cut) && cut > 0) {
                    assertThat(thrown).as("cut at a block boundary, %d bytes", cut).isNull();
                } else {
                    final long blockStart = Arrays.stream(blockStarts).filter(start -> start <= cut).max().orElseThrow();
                    assertThat(thrown).as("cut at %d", cut).isInstanceOf(PcapFormatException.class);
                    assertThat(((PcapFormatException) thrown).offset()).isEqualTo(blockStart);
                    if (cut > 0) {
                        assertThat(thrown).isInstanceOf(PcapTruncatedException.class);
                    }
                }
            }
        });
    }

    @Test
    void pcapCutAtEveryLengthDeliversEveryCompletePacketThenReportsTheCut() {
        assertTimeoutPreemptively(TIMEOUT, () -> {
            final byte[] file = smallPcap();
            final long[] recordStarts = {24, 47, 66, 82};
            for (int length = 0; length < file.length; length++) {
                final int cut = length;
                final List<Long> delivered = new ArrayList<>();
                final Throwable thrown = catchThrowable(() -> readInto(Arrays.copyOf(file, cut), delivered));
                assertThat(delivered).hasSize((int) Arrays.stream(recordStarts).skip(1).filter(end -> end <= cut).count());
                if (Arrays.stream(recordStarts).anyMatch(start -> start == cut)) {
                    assertThat(thrown).isNull();
                } else {
                    assertThat(thrown).as("cut at %d", cut).isInstanceOf(PcapFormatException.class);
                    final long recordStart = Arrays.stream(recordStarts).filter(start -> start <= cut).max().orElse(0);
                    assertThat(((PcapFormatException) thrown).offset()).isEqualTo(recordStart);
                }
            }
        });
    }

    @Test
    void randomCorruptionEndsInFormatExceptionOrAFile() {
        assertTimeoutPreemptively(TIMEOUT, () -> {
            final SplittableRandom random = new SplittableRandom(1234);
            for (final byte[] valid : List.of(smallPcapng(), smallPcap())) {
                for (int round = 0; round < 5_000; round++) {
                    final byte[] corrupt = valid.clone();
                    for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                        corrupt[random.nextInt(corrupt.length)] = (byte) random.nextInt();
                    }
                    final Throwable thrown = catchThrowable(() -> readInto(corrupt, new ArrayList<>()));
                    if (thrown != null) {
                        assertThat(thrown).isInstanceOf(PcapFormatException.class).hasMessageStartingWith("at byte offset ");
                    }
                }
            }
        });
    }

    @Test
    void hugeLengthFieldsAreRefusedWithoutAllocating() {
        assertTimeoutPreemptively(TIMEOUT, () -> {
            final byte[] pcapng = smallPcapng();
            putInt(pcapng, 120 + 4, 0xFFFF_FFFC);
            assertThatThrownBy(() -> readInto(pcapng, new ArrayList<>())).isInstanceOf(PcapFormatException.class)
                .hasMessageContaining("byte offset 124").hasMessageContaining("exceeds the 16777216 bytes (16 MiB)");

            // Within the cap, but more than the file holds: a truncation, found without reading or allocating it.
            putInt(pcapng, 120 + 4, 16 * 1024 * 1024 - 4);
            assertThatThrownBy(() -> readInto(pcapng, new ArrayList<>())).isInstanceOf(PcapTruncatedException.class)
                .hasMessageContaining("byte offset 120").hasMessageContaining("only 260 bytes remain");
            // The same through a pipe, whose size is unknown: the window grows only with the bytes that come.
            final Throwable piped = catchThrowable(() -> {
                try (PacketReader reader = PacketReader.open(Channels.newChannel(new ByteArrayInputStream(pcapng)))) {
                    PacketRecord.readAll(reader);
                }
            });
            assertThat(piped).isInstanceOf(PcapTruncatedException.class).hasMessageContaining("byte offset 120");

            final byte[] pcap = smallPcap();
            putInt(pcap, 24 + 8, 0x7FFF_FFFF);
            assertThatThrownBy(() -> readInto(pcap, new ArrayList<>())).isInstanceOf(PcapFormatException.class)
                .hasMessageContaining("byte offset 32").hasMessageContaining("16 MiB");
        });
    }

    @Test
    void blockLengthsThatCannotFrameABlockAreRefused() {
        assertTimeoutPreemptively(TIMEOUT, () -> {
            for (final int length : new int[] {0, 4, 8, 13, 66}) {
                final byte[] file = smallPcapng();
                putInt(file, 120 + 4, length);
                assertThatThrownBy(() -> readInto(file, new ArrayList<>())).as("length %d", length)
                    .isInstanceOf(PcapFormatException.class).hasMessageContaining("byte offset 124")
                    .hasMessageContaining("block length " + length);
            }
            final byte[] mismatch = smallPcapng();
            putInt(mismatch, 120 + 76, 76);
            assertThatThrownBy(() -> readInto(mismatch, new ArrayList<>())).isInstanceOf(PcapFormatException.class)
                .hasMessageContaining("byte offset 196").hasMessageContaining("trailing block length 76 differs from the leading 80");
            final byte[] shortPacketBlock = smallPcapng();
            putInt(shortPacketBlock, 120 + 4, 12);
            putInt(shortPacketBlock, 120 + 8, 12);
            assertThatThrownBy(() -> readInto(shortPacketBlock, new ArrayList<>())).isInstanceOf(PcapFormatException.class)
                .hasMessageContaining("less than its minimum of 32");
        });
    }

    @Test
    void fieldsThatContradictTheBlockAreRefused() {
        assertTimeoutPreemptively(TIMEOUT, () -> {
            final byte[] capturedTooLong = smallPcapng();
            putInt(capturedTooLong, 120 + 20, 100);
            assertThatThrownBy(() -> readInto(capturedTooLong, new ArrayList<>())).isInstanceOf(PcapFormatException.class)
                .hasMessageContaining("byte offset 140").hasMessageContaining("captured length 100 exceeds the 48 bytes");
            final byte[] unknownInterface = smallPcapng();
            putInt(unknownInterface, 120 + 8, 7);
            assertThatThrownBy(() -> readInto(unknownInterface, new ArrayList<>())).isInstanceOf(PcapFormatException.class)
                .hasMessageContaining("byte offset 128").hasMessageContaining("interface 7 but its section describes 2");
            final byte[] optionTooLong = smallPcapng();
            // The first EPB's first option (epb_flags) claims 200 bytes.
            putShort(optionTooLong, 120 + 28 + 16 + 2, (short) 200);
            assertThatThrownBy(() -> readInto(optionTooLong, new ArrayList<>())).isInstanceOf(PcapFormatException.class)
                .hasMessageContaining("byte offset 164").hasMessageContaining("runs past the end of its block");
            final byte[] badByteOrder = smallPcapng();
            putInt(badByteOrder, 8, 0x12345678);
            assertThatThrownBy(() -> readInto(badByteOrder, new ArrayList<>())).isInstanceOf(PcapFormatException.class)
                .hasMessageContaining("byte offset 8").hasMessageContaining("byte-order magic");
            final byte[] pcapVersion = smallPcap();
            putShort(pcapVersion, 4, (short) 3);
            assertThatThrownBy(() -> readInto(pcapVersion, new ArrayList<>())).isInstanceOf(PcapFormatException.class)
                .hasMessageContaining("byte offset 4").hasMessageContaining("version 3.4");
        });
    }

    @Test
    void unknownMagicIsRefusedAtOffsetZero() {
        assertTimeoutPreemptively(TIMEOUT, () -> {
            assertThatThrownBy(() -> readInto(new byte[0], new ArrayList<>())).isInstanceOf(PcapFormatException.class)
                .hasMessage("at byte offset 0: the input is empty: no pcap or pcapng magic number");
            assertThatThrownBy(() -> readInto("GET / HTTP/1.1\r\n".getBytes(), new ArrayList<>()))
                .isInstanceOf(PcapFormatException.class).hasMessageContaining("byte offset 0")
                .hasMessageContaining("magic 0x47455420 is neither pcap");
            assertThatThrownBy(() -> readInto(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0}, new ArrayList<>()))
                .isInstanceOf(PcapFormatException.class).hasMessageContaining("gzip");
            assertThatThrownBy(() -> readInto(new byte[] {(byte) 0xd4, (byte) 0xc3}, new ArrayList<>()))
                .isInstanceOf(PcapTruncatedException.class);
        });
    }

    private static void readInto(final byte[] file, final List<Long> timestamps) throws IOException {
        try (PacketReader reader = PacketReader.open(new MemoryChannel(file))) {
            while (reader.next()) {
                timestamps.add(reader.packet().timestampNanos());
                reader.packet().comments();
            }
        }
    }

    private static void putInt(final byte[] file, final int offset, final int value) {
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
    }

    private static void putShort(final byte[] file, final int offset, final short value) {
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putShort(offset, value);
    }
}
