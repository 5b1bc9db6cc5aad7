package io.ringcap.record;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The channel a recording is written through: plain writes to a {@link FileChannel}, or with
 * {@code O_DIRECT} (bypassing the page cache) through an aligned staging buffer, since direct I/O needs
 * the buffer address, the length and the file offset all aligned to the file system's block size. Counts
 * the bytes it accepted, so the recorder knows the logical length of the file.
 *
 * <p>Direct mode writes whole blocks; on {@link #flush} it also writes the last partial block padded with
 * zeros, keeps that block staged and writes it again, completed, next time. {@link #close} cuts the
 * padding off. A write that fails (a full disk) leaves everything staged for the next attempt.
 */
final class FileOutput implements java.nio.channels.WritableByteChannel {
    private final FileChannel channel;
    private final Arena arena;
    private final MemorySegment staging;
    private final ByteBuffer stagingView;
    private final int block;
    private int staged;
    private long stagedAt;
    private long accepted;
    private boolean open = true;

    private FileOutput(FileChannel channel, Arena arena, MemorySegment staging, int block) {
        this.channel = channel;
        this.arena = arena;
        this.staging = staging;
        this.stagingView = staging == null ? null : staging.asByteBuffer();
        this.block = block;
    }

    /** Creates {@code path}, which must not exist; {@code direct} asks for O_DIRECT with a staging buffer of {@code bufferBytes}. */
    static FileOutput create(Path path, boolean direct, int bufferBytes) throws IOException {
        if (!direct) {
            return new FileOutput(FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), null,
                null, 0);
        }
        int block = (int) Files.getFileStore(path.toAbsolutePath().getParent()).getBlockSize();
        OpenOption[] options = {StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            com.sun.nio.file.ExtendedOpenOption.DIRECT};
        FileChannel channel;
        try {
            channel = FileChannel.open(path, options);
        } catch (IOException | UnsupportedOperationException e) {
            Files.deleteIfExists(path);
            throw new RecordingException("--direct: the file system of " + path.toAbsolutePath().getParent()
                + " refuses O_DIRECT (" + e.getMessage() + "): record without --direct", e);
        }
        Arena arena = Arena.ofShared();
        int capacity = Math.max(block, bufferBytes / block * block) + block;
        return new FileOutput(channel, arena, arena.allocate(capacity, block), block);
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
        int n = source.remaining();
        if (!open) {
            // Discarded (see cut): what a writer still hands over goes nowhere.
            source.position(source.limit());
            return n;
        }
        if (staging == null) {
            int written = channel.write(source);
            accepted += written;
            return written;
        }
        if (staged == staging.byteSize()) {
            writeStaged(false);
        }
        int taken = (int) Math.min(n, staging.byteSize() - staged);
        MemorySegment.copy(MemorySegment.ofBuffer(source), 0, staging, staged, taken);
        source.position(source.position() + taken);
        staged += taken;
        accepted += taken;
        return taken;
    }

    /** Writes what is staged (direct mode); a no-op otherwise, since plain writes go straight to the file. */
    void flush() throws IOException {
        if (staging != null && open && staged > 0) {
            writeStaged(true);
        }
    }

    private void writeStaged(boolean partialBlockToo) throws IOException {
        int whole = staged / block * block;
        int length = partialBlockToo ? (staged + block - 1) / block * block : whole;
        if (length > staged) {
            staging.asSlice(staged, length - staged).fill((byte) 0);
        }
        stagingView.limit(length).position(0);
        while (stagingView.hasRemaining()) {
            channel.write(stagingView, stagedAt + stagingView.position());
        }
        // Only whole blocks are done with; a partial block stays staged and is written again when complete.
        MemorySegment.copy(staging, whole, staging, 0, staged - whole);
        staged -= whole;
        stagedAt += whole;
    }

    /** Bytes accepted: the file's length once flushed. */
    long length() {
        return accepted;
    }

    void force() throws IOException {
        channel.force(false);
    }

    /** Cuts the file to {@code length} bytes and ignores whatever is written after. */
    void cut(long length) throws IOException {
        open = false;
        staged = 0;
        channel.truncate(length);
        accepted = length;
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    /** Closes the file; in direct mode first cuts off the zero padding of the last block. */
    @Override
    public void close() throws IOException {
        try {
            if (staging != null && channel.size() > accepted) {
                channel.truncate(accepted);
            }
            channel.close();
        } finally {
            if (arena != null && arena.scope().isAlive()) {
                arena.close();
            }
        }
    }
}
