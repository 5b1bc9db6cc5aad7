package io.ringcap.pcap;

import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.Arrays;

/** A seekable channel over a growable byte array: files for tests without the file system. */
final class MemoryChannel implements SeekableByteChannel {
    private byte[] bytes;
    private int size;
    private int position;
    private boolean open = true;

    MemoryChannel() {
        this(new byte[0]);
    }

    MemoryChannel(final byte[] contents) {
        this.bytes = contents;
        this.size = contents.length;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    @Override
    public int read(final ByteBuffer destination) {
        if (position >= size) {
            return -1;
        }
        final int count = Math.min(destination.remaining(), size - position);
        destination.put(bytes, position, count);
        position += count;
        return count;
    }

    @Override
    public int write(final ByteBuffer source) {
        final int count = source.remaining();
        if (position + count > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(position + count, bytes.length * 2));
        }
        source.get(bytes, position, count);
        position += count;
        size = Math.max(size, position);
        return count;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public SeekableByteChannel position(final long newPosition) {
        position = Math.toIntExact(newPosition);
        return this;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public SeekableByteChannel truncate(final long newSize) {
        size = Math.min(size, Math.toIntExact(newSize));
        position = Math.min(position, size);
        return this;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }
}
