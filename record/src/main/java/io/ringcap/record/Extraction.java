package io.ringcap.record;

import io.ringcap.pcap.CaptureInterface;
import io.ringcap.pcap.PacketReader;
import io.ringcap.pcap.PacketView;
import io.ringcap.pcap.PcapFormatException;
import io.ringcap.pcap.PcapTruncatedException;
import io.ringcap.pcap.PcapngWriter;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Copies the packets of a time range, optionally of some groups only, from the recordings in a directory
 * into one pcapng file, byte for byte with their nanosecond timestamps. Indexes let it skip files outside
 * the range or without the groups, start reading near the range and stop after it; a capture file without
 * a usable index (damaged, stale, or from another tool) is scanned whole, and {@code messages} says so.
 */
public final class Extraction {
    private static final long PROGRESS_INTERVAL_NANOS = 1_000_000_000L;

    /**
     * What an extraction did.
     *
     * @param files     capture files in the directory.
     * @param filesRead files read (the others were skipped through their index).
     * @param scanned   files read whole for want of a usable index.
     * @param packets   packets written.
     * @param bytesRead bytes of capture files read.
     */
    public record Result(int files, int filesRead, int scanned, long packets, long bytesRead) {
    }

    private record Recording(Path path, RecordingIndex index, long startNanos) {
    }

    private record InterfaceKey(int linkType, long snapLength, String name, String description, String filter) {
    }

    /** The names of capture files extraction reads. */
    private static final String CAPTURE_FILES = "*.{pcapng,pcap,cap}";

    private final long fromNanos;
    private final long toNanos;
    private final long[] groups;
    private final Consumer<String> messages;
    private final long progressIntervalNanos;
    private final Map<InterfaceKey, Integer> interfaces = new HashMap<>();
    private PcapngWriter writer;
    private CaptureInterface lastInterface;
    private int lastInterfaceId;
    private long packets;
    private long bytesRead;
    private long lastProgressNanos = System.nanoTime();

    private Extraction(long fromNanos, long toNanos, long[] groups, Consumer<String> messages,
        long progressIntervalNanos) {
        this.fromNanos = fromNanos;
        this.toNanos = toNanos;
        this.groups = groups.clone();
        this.messages = messages;
        this.progressIntervalNanos = progressIntervalNanos;
    }

    /**
     * Extracts packets with {@code fromNanos <= timestamp < toNanos} (and, if {@code groups} is not empty,
     * sent to one of them, see {@link UdpDestination}) from the capture files in {@code directory} into
     * {@code output}. Files are taken in order of their first packet, packets in file order.
     *
     * @throws RecordingException if the directory holds no capture file.
     */
    public static Result run(Path directory, long fromNanos, long toNanos, long[] groups, Path output,
        Consumer<String> messages) throws IOException {
        return run(directory, fromNanos, toNanos, groups, output, messages, PROGRESS_INTERVAL_NANOS);
    }

    /** {@link #run(Path, long, long, long[], Path, Consumer)}, saying how far it got every {@code progressIntervalNanos}. */
    static Result run(Path directory, long fromNanos, long toNanos, long[] groups, Path output,
        Consumer<String> messages, long progressIntervalNanos) throws IOException {
        if (fromNanos > toNanos) {
            throw new IllegalArgumentException("the range starts after it ends");
        }
        List<Recording> recordings = list(directory, output, messages);
        Extraction extraction = new Extraction(fromNanos, toNanos, groups, messages, progressIntervalNanos);
        int read = 0;
        int scanned = 0;
        try (FileChannel out = FileChannel.open(output, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            extraction.writer = new PcapngWriter(out);
            extraction.writer.writeSectionHeader(null, null, "ringcap extract", "ringcap extract from " + directory);
            for (int i = 0; i < recordings.size(); i++) {
                Recording recording = recordings.get(i);
                if (recording.index() != null && !extraction.wanted(recording.index())) {
                    continue;
                }
                read++;
                scanned += recording.index() == null ? 1 : 0;
                extraction.copy(recording, i + 1, recordings.size());
            }
            extraction.writer.close();
            out.force(false);
        }
        return new Result(recordings.size(), read, scanned, extraction.packets, extraction.bytesRead);
    }

    /** Whether {@code directory} holds any file extraction would read (*.pcapng, *.pcap, *.cap). */
    public static boolean holdsCaptureFiles(Path directory) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, CAPTURE_FILES)) {
            for (Path path : files) {
                if (!path.getFileName().toString().startsWith(".") && Files.isRegularFile(path)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The capture files of {@code directory} with their usable indexes, in order of their first packet. */
    private static List<Recording> list(Path directory, Path output, Consumer<String> messages) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new RecordingException(directory + " is not a directory");
        }
        List<Recording> recordings = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, CAPTURE_FILES)) {
            for (Path path : files) {
                String name = path.getFileName().toString();
                if (name.startsWith(".") || !Files.isRegularFile(path)
                    || (Files.exists(output) && Files.isSameFile(path, output))) {
                    continue;
                }
                RecordingIndex index = index(path, messages);
                long start = index != null ? index.minTimestampNanos()
                    : RecordingName.startNanos(name).orElse(Long.MIN_VALUE);
                recordings.add(new Recording(path, index, start));
            }
        }
        if (recordings.isEmpty()) {
            throw new RecordingException("no capture files (*.pcapng, *.pcap) in " + directory);
        }
        recordings.sort(Comparator.comparingLong(Recording::startNanos).thenComparing(Recording::path));
        return recordings;
    }

    private static RecordingIndex index(Path path, Consumer<String> messages) throws IOException {
        Path indexPath = path.resolveSibling(RecordingName.index(path.getFileName().toString()));
        if (!Files.exists(indexPath)) {
            messages.accept(path.getFileName() + " has no index: scanning it whole");
            return null;
        }
        try {
            RecordingIndex index = RecordingIndex.read(indexPath);
            long length = Files.size(path);
            if (index.fileLength() != length) {
                messages.accept(indexPath.getFileName() + " is stale (it describes " + index.fileLength()
                    + " bytes, the file has " + length + "): scanning " + path.getFileName() + " whole");
                return null;
            }
            return index;
        } catch (RecordingException | IOException e) {
            messages.accept(e.getMessage() + ": scanning " + path.getFileName() + " whole");
            return null;
        }
    }

    private boolean wanted(RecordingIndex index) {
        if (!index.overlaps(fromNanos, toNanos)) {
            return false;
        }
        if (groups.length == 0) {
            return true;
        }
        for (long group : groups) {
            if (index.mayHold(group)) {
                return true;
            }
        }
        return false;
    }

    private void copy(Recording recording, int number, int of) throws IOException {
        RecordingIndex index = recording.index();
        try (FileChannel file = FileChannel.open(recording.path(), StandardOpenOption.READ)) {
            long start = index == null ? -1 : index.startOffset(fromNanos);
            long stop = index == null ? Long.MAX_VALUE : index.stopOffset(toNanos);
            long shift = 0;
            java.nio.channels.ReadableByteChannel input = file;
            if (start > 0) {
                long[] context = index.contextBefore(start);
                long[] ranges = java.util.Arrays.copyOf(context, context.length + 2);
                ranges[context.length] = start;
                ranges[context.length + 1] = file.size() - start;
                long contextLength = 0;
                for (int i = 1; i < context.length; i += 2) {
                    contextLength += context[i];
                }
                // The reader counts offsets in the spliced stream: context blocks first, then the file from start.
                shift = start - contextLength;
                input = new FileRanges(file, ranges);
            }
            try (PacketReader reader = PacketReader.open(input)) {
                copyPackets(reader, stop, shift, recording, number, of);
            } catch (PcapTruncatedException e) {
                messages.accept(recording.path().getFileName() + " is cut short (" + e.getMessage()
                    + "): extracted the packets before the cut");
            } catch (PcapFormatException e) {
                messages.accept(recording.path().getFileName() + " is not a valid capture file (" + e.getMessage()
                    + "): extracted the packets before the fault");
            }
        }
    }

    private void copyPackets(PacketReader reader, long stop, long shift, Recording recording, int number, int of)
        throws IOException {
        long previousOffset = shift;
        while (reader.next()) {
            PacketView packet = reader.packet();
            long offset = packet.fileOffset() + shift;
            bytesRead += offset - previousOffset;
            previousOffset = offset;
            if (offset >= stop) {
                break;
            }
            long timestamp = packet.timestampNanos();
            if (packet.hasTimestamp() && timestamp >= fromNanos && timestamp < toNanos && inGroups(packet)) {
                writer.writePacket(interfaceOf(packet.captureInterface()), timestamp, packet.buffer(),
                    packet.dataOffset(), packet.capturedLength(), (int) Math.min(packet.originalLength(), Integer.MAX_VALUE),
                    packet.flags());
                packets++;
            }
            long now = System.nanoTime();
            if (now - lastProgressNanos >= progressIntervalNanos) {
                lastProgressNanos = now;
                messages.accept("extract: file " + number + " of " + of + " (" + recording.path().getFileName() + "), "
                    + io.ringcap.ring.Sizes.format(bytesRead) + " read, " + packets + " packets written");
            }
        }
    }

    private boolean inGroups(PacketView packet) {
        if (groups.length == 0) {
            return true;
        }
        long destination = UdpDestination.of(packet.buffer(), packet.dataOffset(), packet.capturedLength());
        for (long group : groups) {
            if (group == destination) {
                return true;
            }
        }
        return false;
    }

    private int interfaceOf(CaptureInterface captureInterface) throws IOException {
        if (captureInterface != lastInterface) {
            InterfaceKey key = new InterfaceKey(captureInterface.linkType(), captureInterface.snapLength(),
                captureInterface.name(), captureInterface.description(), captureInterface.filter());
            Integer id = interfaces.get(key);
            if (id == null) {
                id = writer.writeInterfaceDescription(key.linkType(), (int) Math.min(key.snapLength(), Integer.MAX_VALUE),
                    key.name(), key.description(), key.filter());
                interfaces.put(key, id);
            }
            lastInterface = captureInterface;
            lastInterfaceId = id;
        }
        return lastInterfaceId;
    }
}
