package io.ringcap.record;

import io.ringcap.pcap.PacketReader;
import io.ringcap.pcap.PacketView;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Reads recordings back with the pcap module's reader, for comparing with what was written. */
final class Recordings {
    /** A packet as read back, with the drop count and comments its EPB carried. */
    record Packet(String file, long timestampNanos, byte[] data, long dropCount, List<String> comments, int flags) {
        /** What must survive recording and extraction: the timestamp and the bytes. */
        Key key() {
            return new Key(timestampNanos, java.nio.ByteBuffer.wrap(data));
        }

        long sequence() {
            return TestFrames.sequence(data);
        }
    }

    record Key(long timestampNanos, java.nio.ByteBuffer data) {
    }

    private Recordings() {
    }

    /** The complete recordings of {@code directory}, in name (so time) order. */
    static List<Path> files(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.getFileName().toString().startsWith(RecordingName.PREFIX)
                    && p.getFileName().toString().endsWith(RecordingName.EXTENSION))
                .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Packet> read(Path file) throws IOException {
        List<Packet> packets = new ArrayList<>();
        try (PacketReader reader = PacketReader.open(file)) {
            while (reader.next()) {
                PacketView p = reader.packet();
                packets.add(new Packet(file.getFileName().toString(), p.timestampNanos(), p.data().toArray(
                    java.lang.foreign.ValueLayout.JAVA_BYTE), p.dropCount(), p.comments(), p.flags()));
            }
        }
        return packets;
    }

    /**
     * A new directory on a disk (under /var/tmp) for recording with O_DIRECT, which a tmpfs (where /tmp and so
     * {@code @TempDir} may be) refuses; the test is skipped where /var/tmp refuses it too. Delete it with
     * {@link #deleteTree}.
     */
    static Path directIoDirectory() throws IOException {
        Path directory = Files.createTempDirectory(Path.of("/var/tmp"), "ringcap-direct-test");
        Path probe = directory.resolve("probe");
        try {
            FileOutput.create(probe, true, 128 << 10).close();
        } catch (RecordingException e) {
            deleteTree(directory);
            Assumptions.abort(e.getMessage());
        }
        Files.delete(probe);
        return directory;
    }

    /** The disk space {@code file} takes (st_blocks * 512, from stat(1): Java's file attributes do not say). */
    static long allocatedBytes(Path file) throws IOException {
        Process stat = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).redirectErrorStream(true).start();
        String[] out = new String(stat.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII)
            .trim().split(" ");
        return Long.parseLong(out[0]) * Long.parseLong(out[1]);
    }

    /** The bytes of {@code file} in the page cache, from fincore(1) (util-linux-extra); skips the test without it. */
    static long cachedBytes(Path file) throws IOException {
        Process fincore;
        try {
            fincore = new ProcessBuilder("fincore", "--bytes", "--noheadings", "--output", "RES", file.toString())
                .redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("no fincore (util-linux-extra): " + e.getMessage());
            throw e;
        }
        return Long.parseLong(new String(fincore.getInputStream().readAllBytes(),
            java.nio.charset.StandardCharsets.US_ASCII).trim());
    }

    /** Deletes {@code directory} and everything in it; nothing if it is null. */
    static void deleteTree(Path directory) throws IOException {
        if (directory == null) {
            return;
        }
        try (Stream<Path> all = Files.walk(directory)) {
            for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    static List<Packet> readAll(Path directory) throws IOException {
        List<Packet> packets = new ArrayList<>();
        for (Path file : files(directory)) {
            packets.addAll(read(file));
        }
        return packets;
    }

    /** An Interface Statistics Block as written: its comment (or null) and isb_osdrop (or -1). */
    record Statistics(String comment, long osDropped) {
    }

    /** Every ISB of a file we wrote (little-endian), in file order, by walking the blocks. */
    static List<Statistics> statistics(Path file) throws IOException {
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(Files.readAllBytes(file)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        List<Statistics> found = new ArrayList<>();
        for (int at = 0; at + 12 <= bytes.limit(); at += bytes.getInt(at + 4)) {
            if (bytes.getInt(at) != 5) {
                continue;
            }
            String comment = null;
            long osDropped = -1;
            int end = at + bytes.getInt(at + 4) - 4;
            for (int option = at + 20; option + 4 <= end; ) {
                int code = bytes.getShort(option) & 0xFFFF;
                int length = bytes.getShort(option + 2) & 0xFFFF;
                if (code == 0) {
                    break;
                }
                if (code == 1) {
                    byte[] text = new byte[length];
                    bytes.get(option + 4, text);
                    comment = new String(text, java.nio.charset.StandardCharsets.UTF_8);
                } else if (code == 7) {
                    osDropped = bytes.getLong(option + 4);
                }
                option += 4 + ((length + 3) & ~3);
            }
            found.add(new Statistics(comment, osDropped));
        }
        return found;
    }
}
