package io.ringcap.record;

import io.ringcap.pcap.OutputSink;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The file a recording is written to, and the {@link OutputSink} its writer encodes into: the writer fills a
 * buffer this class lends, and when the writer hands it back a thread of its own writes it (a positional write
 * per buffer) while the writer fills the next, so encoding and the disk overlap and no block is copied between
 * the writer and the file. Counts the bytes it took, so the recorder knows the logical length of the file.
 *
 * <p>With {@code O_DIRECT} (bypassing the page cache) the buffer address, the length and the file offset must
 * all be aligned to the file system's block size: buffers are aligned, only whole blocks go to the writing
 * thread, and the last partial block is carried to the start of the next buffer lent (a copy of less than a
 * block). {@link #flush} also writes that partial block, padded with zeros, and it is written again, completed,
 * later; {@link #close} cuts the padding off. Without {@code O_DIRECT} a block is one byte: nothing is carried.
 *
 * <p>{@value #BUFFERS} buffers are lent in turn, each once its previous write has landed. A write that fails (a
 * full disk) keeps its buffer and is written again, from where the kernel stopped, when that buffer is next
 * due, or at {@link #flush}, {@link #force} or {@link #close}, which throw while it still fails; so nothing is
 * skipped and every byte lands at its own offset. Not thread-safe: one thread calls all methods.
 */
final class FileOutput implements OutputSink, Closeable {
    /** Buffers lent in turn: one filling while the other is written (more did not help, see docs/recording.md). */
    static final int BUFFERS = 2;

    private final FileChannel channel;
    private final int block;
    /** Bytes lent per buffer, a multiple of the block; a buffer has a block more, for the carried partial block. */
    private final int capacity;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment[] buffers = new MemorySegment[BUFFERS];
    /** Views made once, so that a write allocates nothing; each positioned where its write has got to. */
    private final ByteBuffer[] views = new ByteBuffer[BUFFERS];
    private final Future<?>[] flights = new Future<?>[BUFFERS];
    /** The file offset of each buffer's byte 0 in its write. */
    private final long[] flightAt = new long[BUFFERS];
    private final ExecutorService writing = Executors.newSingleThreadExecutor(
        Thread.ofPlatform().name("ringcap-record-write").daemon().factory());
    /** The buffer lent, or last taken back: it holds the staged bytes. */
    private int current;
    private boolean lent;
    /** The bytes not yet written for good: {@code staged} of them from {@code stagedFrom} (a block boundary). */
    private int stagedFrom;
    private int staged;
    /** The file offset of the first staged byte. */
    private long stagedAt;
    private long accepted;
    private boolean open = true;

    /** Output to {@code channel}, positioned at the file's start, writing whole blocks of {@code block} bytes. */
    FileOutput(FileChannel channel, int block, int bufferBytes) {
        this.channel = channel;
        this.block = block;
        this.capacity = Math.max(block, bufferBytes / block * block);
        for (int i = 0; i < BUFFERS; i++) {
            buffers[i] = arena.allocate(capacity + block, Math.max(block, Long.BYTES));
            views[i] = buffers[i].asByteBuffer();
        }
    }

    /** Creates {@code path}, which must not exist; {@code direct} asks for O_DIRECT; buffers of {@code bufferBytes}. */
    static FileOutput create(Path path, boolean direct, int bufferBytes) throws IOException {
        if (!direct) {
            return new FileOutput(FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 1,
                bufferBytes);
        }
        int block = (int) Files.getFileStore(path.toAbsolutePath().getParent()).getBlockSize();
        OpenOption[] options = {StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            com.sun.nio.file.ExtendedOpenOption.DIRECT};
        try {
            return new FileOutput(FileChannel.open(path, options), block, bufferBytes);
        } catch (IOException | UnsupportedOperationException e) {
            Files.deleteIfExists(path);
            throw new RecordingException("--direct: the file system of " + path.toAbsolutePath().getParent()
                + " refuses O_DIRECT (" + e.getMessage() + "): record without --direct", e);
        }
    }

    /** The next buffer once its last write has landed, its start holding the partial block carried over. */
    @Override
    public MemorySegment lend() throws IOException {
        int next = (current + 1) % BUFFERS;
        land(next);
        MemorySegment.copy(buffers[current], stagedFrom, buffers[next], 0, staged);
        current = next;
        stagedFrom = 0;
        lent = true;
        return buffers[next].asSlice(staged, capacity);
    }

    /** Sends the whole blocks of the buffer taken back to the writing thread; the partial block stays staged. */
    @Override
    public void take(MemorySegment segment, int length) {
        lent = false;
        if (!open) {
            // Discarded (see cut): what a writer still hands over goes nowhere.
            return;
        }
        accepted += length;
        staged += length;
        int whole = staged / block * block;
        if (whole > 0) {
            send(whole);
            stagedFrom = whole;
            staged -= whole;
            stagedAt += whole;
        }
    }

    private void send(int length) {
        ByteBuffer view = views[current].limit(length).position(0);
        long at = stagedAt;
        flightAt[current] = at;
        flights[current] = writing.submit(() -> {
            writeFully(view, at);
            return null;
        });
    }

    /**
     * Writes everything taken back: waits for the writes in flight (writing again any that failed), then writes
     * the partial block padded with zeros, which stays staged. The writer must have handed its buffer back.
     */
    void flush() throws IOException {
        if (!open) {
            return;
        }
        if (lent) {
            throw new IllegalStateException("flush the writer first: it still holds a buffer");
        }
        landAll();
        if (staged > 0) {
            int end = stagedFrom + (staged + block - 1) / block * block;
            buffers[current].asSlice(stagedFrom + staged, end - stagedFrom - staged).fill((byte) 0);
            views[current].limit(end).position(stagedFrom);
            writeFully(views[current], stagedAt - stagedFrom);
        }
    }

    private void landAll() throws IOException {
        for (int i = 1; i <= BUFFERS; i++) {
            land((current + i) % BUFFERS);
        }
    }

    /** Waits for buffer {@code i}'s write; if it failed, writes the rest of it here, and throws if that fails too. */
    private void land(int i) throws IOException {
        Future<?> flight = flights[i];
        if (flight == null) {
            return;
        }
        try {
            flight.get();
        } catch (ExecutionException e) {
            // The view's position is where the kernel stopped taking bytes: go on from there.
            writeFully(views[i], flightAt[i]);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while a recording write was in flight");
        }
        flights[i] = null;
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

    /** Waits for the writes in flight and forces the file's data to the device. */
    void force() throws IOException {
        landAll();
        channel.force(false);
    }

    /** Cuts the file to {@code length} bytes and ignores whatever is written after, failed writes in flight too. */
    void cut(long length) throws IOException {
        open = false;
        staged = 0;
        for (int i = 0; i < BUFFERS; i++) {
            if (flights[i] != null) {
                try {
                    flights[i].get();
                } catch (ExecutionException e) {
                    // given up on: the cut drops it
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                flights[i] = null;
            }
        }
        channel.truncate(length);
        accepted = length;
    }

    /** Waits for the writes in flight, cuts off the zero padding of the last block, and closes the file. */
    @Override
    public void close() throws IOException {
        try {
            if (open) {
                landAll();
            }
            if (channel.size() > accepted) {
                channel.truncate(accepted);
            }
        } finally {
            channel.close();
            writing.shutdownNow();
            // A write still in flight (one that failed is given up on here) may yet read its buffer.
            if (Arrays.stream(flights).allMatch(flight -> flight == null)) {
                arena.close();
            }
        }
    }
}
