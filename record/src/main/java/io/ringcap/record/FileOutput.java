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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The channel a recording is written through: plain writes to a {@link FileChannel}, or with
 * {@code O_DIRECT} (bypassing the page cache) through an aligned staging buffer, since direct I/O needs
 * the buffer address, the length and the file offset all aligned to the file system's block size. Counts
 * the bytes it accepted, so the recorder knows the logical length of the file.
 *
 * <p>Direct mode writes whole blocks; on {@link #flush} it also writes the last partial block padded with
 * zeros, keeps that block staged and writes it again, completed, next time. {@link #close} cuts the
 * padding off. A write that fails (a full disk) leaves everything staged for the next attempt.
 *
 * <p>Direct mode has two staging buffers: when one is full it goes to a writing thread of its own and the
 * recorder fills the other meanwhile, so encoding and the disk overlap (with one buffer the recorder waited
 * for every write: about half of the disk's bandwidth here). The write in flight is waited for before the
 * next one, on {@link #flush}, {@link #force}, {@link #cut} and {@link #close}; if it failed, its error is
 * thrown there and the buffer stays in flight, written again (from where the kernel stopped) at the next
 * of those calls, so nothing is skipped and the order of the file's bytes is kept.
 */
final class FileOutput implements java.nio.channels.WritableByteChannel {
    private final FileChannel channel;
    private final Arena arena;
    private final int block;
    private final ExecutorService writing;
    private MemorySegment staging;
    private ByteBuffer stagingView;
    private MemorySegment spare;
    private ByteBuffer spareView;
    private int staged;
    private long stagedAt;
    private long accepted;
    private boolean open = true;
    /** The buffer being written by the writing thread, its view positioned where the write has got to. */
    private ByteBuffer flightView;
    private long flightAt;
    private Future<?> flight;

    private FileOutput(FileChannel channel, Arena arena, MemorySegment staging, MemorySegment spare, int block) {
        this.channel = channel;
        this.arena = arena;
        this.staging = staging;
        this.stagingView = staging == null ? null : staging.asByteBuffer();
        this.spare = spare;
        this.spareView = spare == null ? null : spare.asByteBuffer();
        this.block = block;
        this.writing = staging == null ? null : Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("ringcap-record-write").daemon().factory());
    }

    /** Creates {@code path}, which must not exist; {@code direct} asks for O_DIRECT with a staging buffer of {@code bufferBytes}. */
    static FileOutput create(Path path, boolean direct, int bufferBytes) throws IOException {
        if (!direct) {
            return new FileOutput(FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), null,
                null, null, 0);
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
        return new FileOutput(channel, arena, arena.allocate(capacity, block), arena.allocate(capacity, block), block);
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
            sendStaged();
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
        if (staging != null && open) {
            landFlight();
            if (staged > 0) {
                writeStaged();
            }
        }
    }

    /**
     * Hands the full staging buffer (whole blocks only: its capacity is a multiple of the block) to the writing
     * thread once the previous one has landed, and stages into the spare buffer meanwhile.
     */
    private void sendStaged() throws IOException {
        landFlight();
        MemorySegment full = staging;
        ByteBuffer fullView = stagingView;
        fullView.limit(staged).position(0);
        long at = stagedAt;
        flightView = fullView;
        flightAt = at;
        flight = writing.submit(() -> {
            writeFully(fullView, at);
            return null;
        });
        stagedAt += staged;
        staged = 0;
        staging = spare;
        stagingView = spareView;
        spare = full;
        spareView = fullView;
    }

    /** Waits for the write in flight; if it failed, writes the rest of it here, and throws if that fails too. */
    private void landFlight() throws IOException {
        if (flight == null) {
            return;
        }
        try {
            flight.get();
        } catch (ExecutionException e) {
            // The buffer's position is where the kernel stopped taking bytes: go on from there.
            writeFully(flightView, flightAt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while a recording write was in flight");
        }
        flight = null;
        flightView = null;
    }

    /** Writes the staged bytes, the last partial block padded with zeros, and keeps that block staged. */
    private void writeStaged() throws IOException {
        int whole = staged / block * block;
        int length = (staged + block - 1) / block * block;
        if (length > staged) {
            staging.asSlice(staged, length - staged).fill((byte) 0);
        }
        stagingView.limit(length).position(0);
        writeFully(stagingView, stagedAt);
        // Only whole blocks are done with; a partial block stays staged and is written again when complete.
        MemorySegment.copy(staging, whole, staging, 0, staged - whole);
        staged -= whole;
        stagedAt += whole;
    }

    /** Writes {@code view} from its position to its limit; its byte 0 belongs at {@code fileOffset}. */
    private void writeFully(ByteBuffer view, long fileOffset) throws IOException {
        while (view.hasRemaining()) {
            channel.write(view, fileOffset + view.position());
        }
    }

    /** Bytes accepted: the file's length once flushed. */
    long length() {
        return accepted;
    }

    void force() throws IOException {
        if (staging != null) {
            landFlight();
        }
        channel.force(false);
    }

    /** Cuts the file to {@code length} bytes and ignores whatever is written after, a failed write in flight too. */
    void cut(long length) throws IOException {
        open = false;
        staged = 0;
        if (flight != null) {
            try {
                flight.get();
            } catch (ExecutionException e) {
                // given up on: the cut drops it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            flight = null;
        }
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
            if (staging != null) {
                if (open) {
                    landFlight();
                }
                if (channel.size() > accepted) {
                    channel.truncate(accepted);
                }
            }
            channel.close();
        } finally {
            if (writing != null) {
                writing.shutdownNow();
            }
            if (arena != null && arena.scope().isAlive() && flight == null) {
                arena.close();
            }
        }
    }
}
