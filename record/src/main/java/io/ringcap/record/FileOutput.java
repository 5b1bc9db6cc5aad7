package io.ringcap.record;

import io.ringcap.linux.FileControl;
import io.ringcap.linux.LinuxException;
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
import java.util.stream.Stream;

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
 * <p>{@link #flushThen} is the same flush without waiting: the padded partial block goes to the writing thread
 * after the buffers before it, and then a task (the recorder saves its position) runs on a thread of its own once
 * everything before it has landed, unless a write failed; so the caller never waits for the disk, and the writes
 * after the task do not wait for it either. A failure of that task is thrown by the next {@code flushThen}.
 *
 * <p>Through a {@link FileControl} of its own on the file, it reserves disk space ahead of the writes, and
 * without {@code O_DIRECT} it paces the page cache's write-back (see {@link #paceWriteBack}).
 *
 * <p>{@value #BUFFERS} buffers are lent in turn, each once its previous write has landed. A write that fails (a
 * full disk) keeps its buffer and is written again, from where the kernel stopped, when that buffer is next
 * due, or at {@link #flush}, {@link #force} or {@link #close}, which throw while it still fails; so nothing is
 * skipped and every byte lands at its own offset. A padded partial block that fails is not written again: its
 * bytes are always written again later, completed. Not thread-safe: one thread calls all methods.
 */
final class FileOutput implements OutputSink, Closeable {
    /**
     * Buffers lent in turn: one filling while the others wait to be written. With the recorder and the disk at
     * about the same rate, two left the disk idle whenever the recorder was slow for a moment (see
     * docs/recording.md).
     */
    static final int BUFFERS = 4;
    /** Disk space is reserved in steps of this many bytes: a write past what is reserved reserves to the next step. */
    static final long RESERVATION_STEP = 64L << 20;

    private final FileChannel channel;
    /** Reserves the file's disk space ahead of the writes and paces a buffered file's write-back, or null. */
    private final FileControl control;
    private final int block;
    /** Bytes lent per buffer, a multiple of the block; a buffer has a block more, for the carried partial block. */
    private final int capacity;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment[] buffers = new MemorySegment[BUFFERS];
    /** Each buffer's write of whole blocks; written again, from where it stopped, if it failed. */
    private final Flight[] blockWrites = new Flight[BUFFERS];
    /** Each buffer's write of a padded partial block by {@link #flushThen}; dropped if it failed. */
    private final Flight[] tailWrites = new Flight[BUFFERS];
    private final ExecutorService writing = Executors.newSingleThreadExecutor(
        Thread.ofPlatform().name("ringcap-record-write").daemon().factory());
    /** Runs the tasks of {@link #flushThen} (a state file's write and fsync) beside the writing thread. */
    private final ExecutorService saving = Executors.newSingleThreadExecutor(
        Thread.ofPlatform().name("ringcap-record-save").daemon().factory());
    /** The last {@link #flushThen} task on the saving thread, set by the writing thread when it hands it over. */
    private volatile Future<?> saved;
    /** Set by the writing thread when a write fails; cleared by a {@link #flush} that waited for every write. */
    private volatile boolean writeFailed;
    /** What the last {@link #flushThen} task threw, for the next one to throw. */
    private volatile IOException taskFailure;
    /** The last {@link #flushThen} task; the ones before it ran before it. */
    private Future<?> task;
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
    /** How far the file's space is reserved (MAX_VALUE: no further); guarded by this. */
    private long reservedTo;
    /** A buffered file's last write (file offsets), still to be waited for on the disk and dropped from the cache. */
    private long unsettledFrom;
    private long unsettledTo;
    /** Whether each write of a buffered file is sent to the disk at once (see {@link #paceWriteBack}). */
    private boolean pacing;
    /** What the file's control could not do, or null; set by whichever thread writes. */
    private volatile String controlProblem;

    /** Output to {@code channel}, positioned at the file's start, writing whole blocks of {@code block} bytes. */
    FileOutput(FileChannel channel, int block, int bufferBytes) {
        this(channel, block, bufferBytes, null);
    }

    /**
     * As {@link #FileOutput(FileChannel, int, int)}, reserving disk space ahead through {@code control}, and, for a
     * buffered file ({@code block} 1), pacing its write-back.
     */
    FileOutput(FileChannel channel, int block, int bufferBytes, FileControl control) {
        this.control = control;
        this.reservedTo = control == null ? Long.MAX_VALUE : 0;
        this.pacing = control != null && block == 1;
        this.channel = channel;
        this.block = block;
        this.capacity = Math.max(block, bufferBytes / block * block);
        for (int i = 0; i < BUFFERS; i++) {
            buffers[i] = arena.allocate(capacity + block, Math.max(block, Long.BYTES));
            blockWrites[i] = new Flight(buffers[i]);
            tailWrites[i] = new Flight(buffers[i]);
        }
    }

    /**
     * Creates {@code path}, which must not exist; {@code direct} asks for O_DIRECT; buffers of {@code bufferBytes}.
     * The file's disk space is reserved ahead of the writes, {@value #RESERVATION_STEP} bytes at a time.
     */
    static FileOutput create(Path path, boolean direct, int bufferBytes) throws IOException {
        if (!direct) {
            FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return new FileOutput(channel, 1, bufferBytes, openControl(path, channel));
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
        return new FileOutput(channel, block, bufferBytes, openControl(path, channel));
    }

    private static FileControl openControl(Path path, FileChannel channel) throws IOException {
        try {
            return FileControl.open(path);
        } catch (LinuxException e) {
            channel.close();
            Files.deleteIfExists(path);
            throw new IOException(e.getMessage(), e);
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
        blockWrites[current].send(0, length, stagedAt);
    }

    /**
     * Writes everything taken back: waits for the writes in flight (writing again any that failed), then writes
     * the partial block padded with zeros, which stays staged. The writer must have handed its buffer back.
     */
    void flush() throws IOException {
        if (!open) {
            return;
        }
        requireHandedBack();
        landAll();
        if (staged > 0) {
            Flight tail = tailWrites[current];
            tail.view.limit(padTail()).position(stagedFrom);
            writeFully(tail.view, stagedAt - stagedFrom);
        }
        writeFailed = false;
    }

    /**
     * Flushes without waiting: the padded partial block goes to the writing thread, and then {@code then} runs on
     * the saving thread (with the file's data forced first if {@code force}) once everything taken back so far is
     * written, unless a write failed. If a write failed since the last {@link #flush}, flushes here and now instead, and
     * runs {@code then} here. Throws what the last such task threw, or what this flush throws.
     */
    void flushThen(boolean force, IoTask then) throws IOException {
        if (!open) {
            return;
        }
        IOException failure = taskFailure;
        if (failure != null) {
            taskFailure = null;
            throw failure;
        }
        if (writeFailed) {
            flush();
            forceThenRun(force, then);
            return;
        }
        requireHandedBack();
        if (staged > 0) {
            // Waits only for this buffer's last flushed tail: written by now, as the blocks sent after it are.
            land(tailWrites[current], false);
            tailWrites[current].send(stagedFrom, padTail(), stagedAt - stagedFrom);
        }
        task = writing.submit(() -> {
            // Everything before this is in the file. The force and the task go to a thread of their own: a state
            // file's fsync took ~1.4 ms a flush, 6% of the writing thread's time, which the writes after it
            // needed.
            if (!writeFailed) {
                saved = saving.submit(() -> {
                    try {
                        forceThenRun(force, then);
                    } catch (IOException e) {
                        taskFailure = e;
                    }
                    return null;
                });
            }
            return null;
        });
    }

    /** A flush's task: the file's data forced first if {@code force}, then {@code then}. */
    private void forceThenRun(boolean force, IoTask then) throws IOException {
        if (force) {
            channel.force(false);
        }
        then.run();
    }

    /** Whether the task of the last {@link #flushThen} has yet to run. */
    boolean flushing() {
        Future<?> last = saved;
        return task != null && !task.isDone() || last != null && !last.isDone();
    }

    private void requireHandedBack() {
        if (lent) {
            throw new IllegalStateException("flush the writer first: it still holds a buffer");
        }
    }

    /** Zeros the rest of the staged partial block; returns where that block ends in the current buffer. */
    private int padTail() {
        int end = stagedFrom + (staged + block - 1) / block * block;
        buffers[current].asSlice(stagedFrom + staged, end - stagedFrom - staged).fill((byte) 0);
        return end;
    }

    private void landAll() throws IOException {
        for (int i = 1; i <= BUFFERS; i++) {
            land((current + i) % BUFFERS);
        }
        awaitTask();
    }

    /** Waits for buffer {@code i}'s writes; a failed block write is written again here, and throws if that fails. */
    private void land(int i) throws IOException {
        land(tailWrites[i], false);
        land(blockWrites[i], true);
    }

    private void land(Flight flight, boolean writeAgain) throws IOException {
        if (flight.future == null) {
            return;
        }
        try {
            flight.future.get();
        } catch (ExecutionException e) {
            if (writeAgain) {
                // The view's position is where the kernel stopped taking bytes: go on from there.
                writeFully(flight.view, flight.fileOffset);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while a recording write was in flight");
        }
        flight.future = null;
    }

    private void awaitTask() throws InterruptedIOException {
        if (task != null) {
            await(task);
            task = null;
        }
        // Set, if at all, before the task above ended: no later one can come while this thread waits here.
        Future<?> last = saved;
        if (last != null) {
            await(last);
            saved = null;
        }
    }

    private static void await(Future<?> future) throws InterruptedIOException {
        try {
            future.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a flush task threw what it should have kept", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while a recording flush was in flight");
        }
    }

    /** Writes {@code view} from its position to its limit; its byte 0 belongs at {@code fileOffset}. */
    private void writeFully(ByteBuffer view, long fileOffset) throws IOException {
        reserveThrough(fileOffset + view.limit());
        while (view.hasRemaining()) {
            channel.write(view, fileOffset + view.position());
        }
    }

    /**
     * Reserves the file's space up to at least a step past {@code end} once the writes reach what is reserved.
     * A full disk is tried again at the next write, which says for itself whether it fits; a file system that
     * cannot reserve, or any other failure, ends reserving for this file and is kept for {@link
     * #controlProblem}. Writes go on either way.
     */
    private synchronized void reserveThrough(long end) {
        if (end <= reservedTo) {
            return;
        }
        long to = (end / RESERVATION_STEP + 1) * RESERVATION_STEP;
        try {
            switch (control.reserve(reservedTo, to - reservedTo)) {
                case RESERVED -> reservedTo = to;
                case NO_SPACE -> { }
                case UNSUPPORTED -> stopReserving("the file system cannot reserve space ahead (no fallocate)");
            }
        } catch (LinuxException e) {
            stopReserving("cannot reserve space ahead: " + e.getMessage());
        }
    }

    private void stopReserving(String problem) {
        reservedTo = Long.MAX_VALUE;
        controlProblem = problem;
    }

    /**
     * For a buffered file, after the write of file offsets {@code from} to {@code to} on the writing thread: sends
     * it to the disk at once, then waits for the write before it to be on the disk and drops that from the page
     * cache. So at most two buffers' worth is dirty, the disk is kept busy as with O_DIRECT, and the writes never
     * meet the kernel's dirty-page throttling. A failure ends pacing for this file, kept for {@link #controlProblem};
     * the bytes are written all the same (and a failed write-back shows at the next fsync).
     */
    private void paceWriteBack(long from, long to) {
        if (!pacing) {
            return;
        }
        try {
            control.startWriteBack(from, to - from);
            if (unsettledTo > unsettledFrom) {
                control.awaitWriteBackAndDrop(unsettledFrom, unsettledTo - unsettledFrom);
            }
            unsettledFrom = from;
            unsettledTo = to;
        } catch (LinuxException e) {
            pacing = false;
            controlProblem = "cannot pace the write-back through the page cache: " + e.getMessage();
        }
    }

    /** What the file's control stopped doing and why (reserving space, pacing write-back), or null. */
    String controlProblem() {
        return controlProblem;
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

    /**
     * Stops writing: waits for the writes and the flush task in flight, giving up on any write that failed, and
     * ignores whatever is handed over after.
     */
    void abandon() throws IOException {
        open = false;
        staged = 0;
        for (int i = 0; i < BUFFERS; i++) {
            land(tailWrites[i], false);
            land(blockWrites[i], false);
        }
        awaitTask();
    }

    /** {@link #abandon()}s, then cuts the file to {@code length} bytes. */
    void cut(long length) throws IOException {
        abandon();
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
            if (control != null) {
                // Also gives back the space reserved and not written, which channel.truncate leaves.
                control.truncate(accepted);
            } else if (channel.size() > accepted) {
                channel.truncate(accepted);
            }
        } catch (LinuxException e) {
            throw new IOException(e.getMessage(), e);
        } finally {
            if (control != null) {
                control.close();
            }
            channel.close();
            writing.shutdownNow();
            saving.shutdownNow();
            // A write still in flight (one that failed is given up on here) may yet read its buffer.
            if (task == null && Stream.concat(Arrays.stream(blockWrites), Arrays.stream(tailWrites))
                .allMatch(flight -> flight.future == null)) {
                arena.close();
            }
        }
    }

    /** Work for after a flush, such as saving where the recording has got to; it runs on the saving thread. */
    @FunctionalInterface
    interface IoTask {
        void run() throws IOException;
    }

    /** One positional write of part of a buffer, through a view made once, so that a write allocates no view. */
    private final class Flight {
        /** Positioned where the write has got to; its byte 0 is the buffer's. */
        final ByteBuffer view;
        /** The file offset of the view's byte 0. */
        long fileOffset;
        Future<?> future;

        Flight(MemorySegment buffer) {
            view = buffer.asByteBuffer();
        }

        void send(int from, int to, long fileOffset) {
            view.limit(to).position(from);
            this.fileOffset = fileOffset;
            future = writing.submit(() -> {
                try {
                    writeFully(view, fileOffset);
                    paceWriteBack(fileOffset + from, fileOffset + to);
                } catch (IOException e) {
                    writeFailed = true;
                    throw e;
                }
                return null;
            });
        }
    }
}
