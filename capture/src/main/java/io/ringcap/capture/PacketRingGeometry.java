package io.ringcap.capture;

import io.ringcap.linux.PacketSocketLayouts;

/**
 * The shape of an afpacket (TPACKET_V3) receive ring: {@code blockCount} blocks of {@code blockSize}
 * bytes. The kernel fills one block with packets and hands it over when it is full or when
 * {@code retireTimeoutMillis} have passed since its first packet, so the timeout bounds the latency of a
 * quiet feed, and {@code blockSize * blockCount} is how much traffic the kernel can hold while the
 * capture thread is late. {@code frameSize} only has to divide the block (TPACKET_V3 packs packets of any
 * size); a packet longer than a block is cut.
 *
 * @param blockSize           bytes per block: a multiple of 4096, a power of two
 * @param blockCount          number of blocks, at least 2
 * @param frameSize           a multiple of 16 that divides the block size, at least 64
 * @param retireTimeoutMillis how long a block that is not full waits before the kernel hands it over, 1..1000
 */
public record PacketRingGeometry(int blockSize, int blockCount, int frameSize, int retireTimeoutMillis) {
    private static final int PAGE_SIZE = 4096;
    private static final int MIN_FRAME_SIZE = 64;

    /**
     * 1024 blocks of 64 KiB (64 MiB), 2 KiB frames, 1 ms retire timeout. Many small blocks rather than a
     * few big ones: on a slow feed the timeout hands each block over nearly empty, so it is the block
     * count, not the ring's bytes, that says how long the kernel can wait for a late capture thread:
     * here about a second of a slow feed (1024 blocks of 1 ms), 64 MiB of a fast one.
     */
    public static final PacketRingGeometry DEFAULT = new PacketRingGeometry(64 << 10, 1024, 2048, 1);

    public PacketRingGeometry {
        if (blockSize < PAGE_SIZE || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("afpacket block size " + blockSize
                + " is not a power of two of at least 4096 bytes, e.g. 1m");
        }
        if (blockCount < 2) {
            throw new IllegalArgumentException("an afpacket ring needs at least 2 blocks, got " + blockCount);
        }
        if ((long) blockSize * blockCount > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("an afpacket ring of " + blockCount + " blocks of " + blockSize
                + " bytes exceeds the kernel's limit of 2 GiB");
        }
        if (frameSize < MIN_FRAME_SIZE || frameSize % PacketSocketLayouts.TPACKET_ALIGNMENT != 0
            || blockSize % frameSize != 0) {
            throw new IllegalArgumentException("afpacket frame size " + frameSize + " must be a multiple of 16 of at"
                + " least 64 that divides the block size " + blockSize);
        }
        if (retireTimeoutMillis < 1 || retireTimeoutMillis > 1000) {
            throw new IllegalArgumentException("afpacket block retire timeout " + retireTimeoutMillis
                + " ms is outside 1..1000");
        }
    }

    /** Bytes of the whole ring. */
    public long ringSize() {
        return (long) blockSize * blockCount;
    }

    /** {@code tp_frame_nr}: frames per block times blocks. */
    int frameCount() {
        return blockSize / frameSize * blockCount;
    }
}
