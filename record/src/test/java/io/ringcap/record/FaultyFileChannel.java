package io.ringcap.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A real file channel that notes every positional write and runs out of space on request the way Linux does:
 * a write that does not fit is cut short at the space left, in whole blocks, and the next one fails with
 * "No space left on device".
 */
final class FaultyFileChannel extends FileChannel {
    /** One positional write the kernel was asked for. */
    record Write(long offset, int length, long address) { }

    private final FileChannel file;
    private final int block;
    private final List<Write> writes = new ArrayList<>();
    private long spaceLeft = Long.MAX_VALUE;
    private volatile CountDownLatch gate = new CountDownLatch(0);

    FaultyFileChannel(FileChannel file, int block) {
        this.file = file;
        this.block = block;
    }

    /** From now, the bytes that may still be written before the disk is full. */
    synchronized void spaceLeft(long bytes) {
        spaceLeft = bytes;
    }

    synchronized List<Write> writes() {
        return List.copyOf(writes);
    }

    /** Makes positional writes wait until {@link #releaseWrites()}, so a test knows they are still in flight. */
    void holdWrites() {
        gate = new CountDownLatch(1);
    }

    void releaseWrites() {
        gate.countDown();
    }

    @Override
    public int write(ByteBuffer source, long position) throws IOException {
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while writes were held");
        }
        return writeNow(source, position);
    }

    private synchronized int writeNow(ByteBuffer source, long position) throws IOException {
        long address = source.isDirect() ? java.lang.foreign.MemorySegment.ofBuffer(source).address() : 0;
        writes.add(new Write(position, source.remaining(), address));
        int length = (int) Math.min(source.remaining(), spaceLeft / block * block);
        if (length == 0) {
            throw new IOException("No space left on device");
        }
        int written = file.write(source.slice(source.position(), length), position);
        source.position(source.position() + written);
        spaceLeft -= written;
        return written;
    }

    @Override
    public long size() throws IOException {
        return file.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        file.truncate(size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        file.force(metaData);
    }

    // What the recording output never does.

    @Override
    public int read(ByteBuffer destination) {
        throw notUsed();
    }

    @Override
    public long read(ByteBuffer[] destinations, int offset, int length) {
        throw notUsed();
    }

    @Override
    public int read(ByteBuffer destination, long position) {
        throw notUsed();
    }

    @Override
    public int write(ByteBuffer source) {
        throw notUsed();
    }

    @Override
    public long write(ByteBuffer[] sources, int offset, int length) {
        throw notUsed();
    }

    @Override
    public long position() {
        throw notUsed();
    }

    @Override
    public FileChannel position(long position) {
        throw notUsed();
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) {
        throw notUsed();
    }

    @Override
    public long transferFrom(ReadableByteChannel source, long position, long count) {
        throw notUsed();
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) {
        throw notUsed();
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) {
        throw notUsed();
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) {
        throw notUsed();
    }

    private static UnsupportedOperationException notUsed() {
        return new UnsupportedOperationException("the recording output writes at positions, and reads nothing");
    }

    @Override
    protected void implCloseChannel() throws IOException {
        file.close();
    }
}
