package io.ringcap.record;

import io.ringcap.linux.FileControl;
import io.ringcap.linux.LinuxException;
import io.ringcap.pcap.PcapTruncatedException;
import io.ringcap.pcap.PcapngWriter;
import io.ringcap.ring.RingRecord;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * One pcapng file being recorded: written under its hidden part name, indexed as it goes, and renamed to
 * its final name only once complete (final statistics written, flushed, forced if the policy says so, index
 * beside it), so other tools never see half a file. Ring sources become interfaces (one IDB each) as they
 * first appear. Not thread-safe.
 */
final class RecordingFile {
    private static final int LINKTYPE_ETHERNET = 1;

    private final Path directory;
    private final String name;
    private final FileOutput output;
    private final PcapngWriter writer;
    private final IndexBuilder index = new IndexBuilder();
    private final long startNanos;
    private final int snapLength;
    private final String sourceDescription;
    private final long sourceDropsAtStart;
    /** Where the first packet after a gap is copied to be validated before its ISB is written. */
    private final MemorySegment gapFrame;
    private int[] sourceIds = new int[4];
    private int interfaces;
    private long packets;
    private long lastNanos;
    private long lost;
    /** What the last flush that landed covered: set by the file's saving thread after a {@link #flushThen}. */
    private volatile Flushed flushed = new Flushed(0, 0);

    private RecordingFile(Path directory, String name, FileOutput output, long startNanos, int snapLength,
        String sourceDescription, long sourceDrops) {
        this.directory = directory;
        this.name = name;
        this.output = output;
        this.writer = new PcapngWriter(output);
        this.startNanos = startNanos;
        this.lastNanos = startNanos;
        this.snapLength = snapLength;
        this.gapFrame = Arena.ofAuto().allocate(Math.max(snapLength, 1), Long.BYTES);
        this.sourceDescription = sourceDescription;
        this.sourceDropsAtStart = sourceDrops;
    }

    /** Starts a file named for {@code startNanos}, the time of its first packet, under its hidden part name. */
    static RecordingFile create(Path directory, long startNanos, boolean direct, int bufferBytes, int snapLength,
        String ringDescription, String sourceDescription, long sourceDrops) throws IOException {
        String name = RecordingName.of(startNanos, 1);
        for (int n = 2; Files.exists(directory.resolve(name)) || Files.exists(directory.resolve(RecordingName.part(name)));
            n++) {
            name = RecordingName.of(startNanos, n);
        }
        FileOutput output = FileOutput.create(directory.resolve(RecordingName.part(name)), direct, bufferBytes);
        RecordingFile file = new RecordingFile(directory, name, output, startNanos, snapLength, sourceDescription,
            sourceDrops);
        file.writer.writeSectionHeader(null, System.getProperty("os.name") + " " + System.getProperty("os.version"),
            "ringcap record", ringDescription);
        file.index.contextBlock(0, file.writer.bytesWritten());
        return file;
    }

    /**
     * The interface id of the IDB describing the ring's source {@code sourceId} in this file, written first if there
     * is none yet.
     */
    int describe(int sourceId) throws IOException {
        int interfaceId = interfaceOf(sourceId);
        if (interfaceId >= 0) {
            return interfaceId;
        }
        long at = writer.bytesWritten();
        interfaceId = writer.writeInterfaceDescription(LINKTYPE_ETHERNET, snapLength, "ring source " + sourceId,
            sourceDescription, null);
        index.contextBlock(at, writer.bytesWritten() - at);
        if (interfaces == sourceIds.length) {
            sourceIds = Arrays.copyOf(sourceIds, interfaces * 2);
        }
        sourceIds[interfaces++] = sourceId;
        return interfaceId;
    }

    /**
     * Writes the frame of {@code record} as an EPB on interface {@code interfaceId} (from {@link #interfaceOf} or
     * {@link #describe}); {@code dropCount} and {@code comment} mark a gap before it (-1 and null for none), which an
     * ISB also marks, just before it. Returns false, having written nothing, if the ring's writer overwrote the
     * frame while it was read.
     */
    boolean writePacket(RingRecord record, long timestampNanos, int originalLength, int interfaceId, long dropCount,
        String comment) throws IOException {
        if (dropCount >= 0) {
            return writePacketAfterGap(record, interfaceId, timestampNanos, originalLength, dropCount, comment);
        }
        long at = writer.bytesWritten();
        MemorySegment ring = record.buffer();
        long frameOffset = record.frameOffset();
        int capturedLength = record.capturedLength();
        writer.writePacket(interfaceId, timestampNanos, ring, frameOffset, capturedLength, originalLength,
            InboundFrameFlags.of(ring, frameOffset, capturedLength));
        long destination = UdpDestination.of(ring, frameOffset, capturedLength);
        // Read-then-validate after copying straight out of the ring into the file's buffer: one copy, not two.
        if (!record.isIntact()) {
            writer.retract();
            return false;
        }
        counted(at, timestampNanos, destination, capturedLength);
        return true;
    }

    /**
     * The first packet after a gap, with the ISB before it: the frame is copied and validated before anything is
     * written, since only one block could be retracted. A copy more per gap, which is rare.
     */
    private boolean writePacketAfterGap(RingRecord record, int interfaceId, long timestampNanos, int originalLength,
        long dropCount, String comment) throws IOException {
        int capturedLength = record.capturedLength();
        MemorySegment.copy(record.buffer(), record.frameOffset(), gapFrame, 0, capturedLength);
        if (!record.isIntact()) {
            return false;
        }
        writer.writeInterfaceStatistics(interfaceId, timestampNanos, startNanos, PcapngWriter.UNKNOWN,
            PcapngWriter.UNKNOWN, PcapngWriter.UNKNOWN, lost + dropCount, comment);
        long at = writer.bytesWritten();
        writer.writePacket(interfaceId, timestampNanos, gapFrame, 0, capturedLength, originalLength,
            InboundFrameFlags.of(gapFrame, 0, capturedLength), dropCount, comment);
        lost += dropCount;
        counted(at, timestampNanos, UdpDestination.of(gapFrame, 0, capturedLength), capturedLength);
        return true;
    }

    private void counted(long at, long timestampNanos, long destination, int capturedLength) {
        index.packet(at, timestampNanos, destination, capturedLength);
        packets++;
        lastNanos = Math.max(lastNanos, timestampNanos);
    }

    /** The interface id of the IDB describing the ring's source {@code sourceId} in this file, or -1 if none does. */
    int interfaceOf(int sourceId) {
        for (int i = 0; i < interfaces; i++) {
            if (sourceIds[i] == sourceId) {
                return i;
            }
        }
        return -1;
    }

    /** What the file's control stopped doing and why, or null (see {@link FileOutput#controlProblem}). */
    String controlProblem() {
        return output.controlProblem();
    }

    /** Hands everything written to the kernel; what is then in the file is consistent up to {@link #bytesWritten()}. */
    void flush() throws IOException {
        writer.flush();
        output.flush();
        flushed = new Flushed(writer.bytesWritten(), packets);
    }

    /**
     * {@link #flush} without waiting for the disk (see {@link FileOutput#flushThen}): once everything written so far
     * is in the file, the file's saving thread counts it as flushed and runs {@code then}, the file's data forced
     * first if {@code force}. Call it only when not {@link #flushing()}, so that a disk slower than the flushes
     * does not queue them up without end.
     */
    void flushThen(boolean force, FileOutput.IoTask then) throws IOException {
        writer.flush();
        Flushed now = new Flushed(writer.bytesWritten(), packets);
        output.flushThen(force, () -> {
            flushed = now;
            then.run();
        });
    }

    /** Whether the last {@link #flushThen} is still in flight. */
    boolean flushing() {
        return output.flushing();
    }

    /**
     * Completes the file: final statistics, flush, force if {@code force}. Throws if the disk refuses, and
     * may then be called again. After it returns, {@link #rename} makes the file visible.
     */
    void complete(long sourceDrops, boolean force) throws IOException {
        if (interfaces > 0) {
            writer.writeInterfaceStatistics(0, lastNanos, startNanos, lastNanos, PcapngWriter.UNKNOWN,
                sourceDrops - sourceDropsAtStart, lost, "ringcap: " + packets + " packets recorded, " + lost + " lost");
        }
        flush();
        if (force) {
            output.force();
        }
    }

    /**
     * Gives up on what was not flushed (the disk stayed full): cuts the file after the last successful flush,
     * a block boundary. Returns the packets cut off, which the caller counts as lost to disk.
     */
    long cutToDurable() throws IOException {
        // Nothing in flight may change what counts as flushed once it is read.
        output.abandon();
        Flushed last = flushed;
        long cut = packets - last.packets();
        output.cut(last.offset());
        packets = last.packets();
        return cut;
    }

    /**
     * Writes the index (built while writing, or by scanning when the file was cut) and renames the file to
     * its final name. A failure to write the index is reported and survived: extraction then scans.
     */
    Path rename(boolean force, boolean scanIndex, Consumer<String> events) throws IOException {
        close();
        long length = output.length();
        Path part = directory.resolve(RecordingName.part(name));
        RecordingIndex built = scanIndex ? IndexBuilder.scan(part).build(length) : index.build(length);
        return publish(directory, name, built, force, events);
    }

    /** A flush: the file's first {@code offset} bytes, holding its first {@code packets} packets, are in it. */
    private record Flushed(long offset, long packets) { }

    private void close() throws IOException {
        // Hands the writer's buffer back; after a cut the output discards what it still held.
        writer.close();
        output.close();
    }

    String partName() {
        return RecordingName.part(name);
    }

    String name() {
        return name;
    }

    long startNanos() {
        return startNanos;
    }

    long bytesWritten() {
        return writer.bytesWritten();
    }

    long packets() {
        return packets;
    }

    /**
     * Finishes a part file left by a recorder that was killed: keeps its first {@code offset} bytes (what
     * the recorder's state vouches for), drops a block cut short, indexes it and renames it. Returns the
     * final path, or null if nothing worth keeping was left (the part is then deleted).
     */
    static Path recover(Path directory, String partName, long offset, boolean force, Consumer<String> events)
        throws IOException {
        Path part = directory.resolve(partName);
        String name = RecordingName.ofPart(partName);
        if (name == null) {
            throw new RecordingException("recorder state names " + partName + ", which is not a recording's part name");
        }
        // ftruncate even to the same length: it also gives back the space reserved beyond the end.
        try (FileControl control = FileControl.open(part)) {
            control.truncate(Math.min(offset, Files.size(part)));
        } catch (LinuxException e) {
            throw new IOException(e.getMessage(), e);
        }
        IndexBuilder scanned;
        while (true) {
            try {
                scanned = IndexBuilder.scan(part);
                break;
            } catch (PcapTruncatedException e) {
                events.accept("recovering " + partName + ": dropping a block cut short at byte " + e.offset());
                try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE)) {
                    channel.truncate(e.offset());
                }
            } catch (io.ringcap.pcap.PcapFormatException e) {
                if (Files.size(part) == 0 || e.offset() == 0) {
                    Files.delete(part);
                    return null;
                }
                throw new RecordingException("cannot recover " + part + ": " + e.getMessage()
                    + "; move it away and restart", e);
            }
        }
        if (scanned.packets() == 0) {
            Files.delete(part);
            return null;
        }
        if (force) {
            try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
        }
        return publish(directory, name, scanned.build(Files.size(part)), force, events);
    }

    private static Path publish(Path directory, String name, RecordingIndex index, boolean force,
        Consumer<String> events) throws IOException {
        Path indexPart = directory.resolve("." + RecordingName.index(name) + RecordingName.PART_SUFFIX);
        try {
            index.write(indexPart, force);
            Files.move(indexPart, directory.resolve(RecordingName.index(name)), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(indexPart);
            events.accept("cannot write the index of " + name + " (" + e.getMessage()
                + "): the recording is complete; extract will scan it");
        }
        Path target = directory.resolve(name);
        Files.move(directory.resolve(RecordingName.part(name)), target, StandardCopyOption.ATOMIC_MOVE);
        if (force) {
            // The renames are directory entries: force the directory so they survive a power failure too.
            try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
                dir.force(true);
            }
        }
        return target;
    }
}
