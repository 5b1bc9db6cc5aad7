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

    @Override
    public synchronized int write(ByteBuffer source, long position) throws IOException {
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
    public int read(ByteBuffer destination) throws IOException {
        return file.read(destination);
    }

    @Override
    public long read(ByteBuffer[] destinations, int offset, int length) throws IOException {
        return file.read(destinations, offset, length);
    }

    @Override
    public int write(ByteBuffer source) {
        throw new UnsupportedOperationException("recording output writes at positions");
    }

    @Override
    public long write(ByteBuffer[] sources, int offset, int length) {
        throw new UnsupportedOperationException("recording output writes at positions");
    }

    @Override
    public long position() throws IOException {
        return file.position();
    }

    @Override
    public FileChannel position(long position) throws IOException {
        file.position(position);
        return this;
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

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return file.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel source, long position, long count) throws IOException {
        return file.transferFrom(source, position, count);
    }

    @Override
    public int read(ByteBuffer destination, long position) throws IOException {
        return file.read(destination, position);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return file.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return file.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return file.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        file.close();
    }
}
