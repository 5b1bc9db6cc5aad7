package io.ringcap.capture;

import io.ringcap.linux.VirtualMemory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.ringcap.linux.XdpSocketLayouts.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The kernel's side of one AF_XDP socket, played in plain memory: a UMEM and fill and RX rings laid out
 * exactly as the kernel lays them out (producer, consumer and flags each on a cache line of their own, then
 * the descriptors), every frame first in the fill ring, and {@link #receive} doing what the kernel and
 * ringcap's XDP program do for each frame: take an address from the fill ring, write the program's metadata
 * in front of the frame, put an RX descriptor in the RX ring, and publish both indices with release stores.
 * {@link #socket} reads it all with the real receive loop. For the receive loop's tests and its
 * benchmark: no kernel, no privilege.
 *
 * <pre>
 *  fill / rx ring:  0                64               128              192
 *                   +----------------+----------------+----------------+--------------------------+
 *                   | producer (u32) | consumer (u32) | flags (u32)    | descriptors ...          |
 *                   +----------------+----------------+----------------+--------------------------+
 *  UMEM frame:      | headroom ... | metadata (16 B) | frame bytes ...                              |
 *                   0              240             256 = XDP_PACKET_HEADROOM
 * </pre>
 */
final class InMemoryXskRings implements AutoCloseable {
    /** Where copy-mode AF_XDP puts a frame's data in its UMEM chunk: XDP_PACKET_HEADROOM. */
    static final int HEADROOM = 256;
    private static final long PRODUCER = 0;
    private static final long CONSUMER = 64;
    private static final long FLAGS = 128;
    private static final long DESCRIPTORS = 192;

    private final Arena arena = Arena.ofShared();
    private final boolean hugePages;
    private final int frames;
    private final int frameSize;
    private final MemorySegment umem;
    private final MemorySegment fill;
    private final MemorySegment rx;
    private final MemorySegment offsets;
    private int fillConsumer;
    private int rxProducer;

    /**
     * @param frames    UMEM frames, also the depth of both rings: a power of two
     * @param frameSize bytes per UMEM frame: a power of two, more than {@value #HEADROOM}
     * @param hugePages the UMEM from the huge page pool, as {@link XskSocket} maps it when it can
     */
    InMemoryXskRings(int frames, int frameSize, boolean hugePages) {
        if (Integer.bitCount(frames) != 1 || Integer.bitCount(frameSize) != 1 || frameSize <= HEADROOM) {
            arena.close();
            throw new IllegalArgumentException("frames (" + frames + ") and frame size (" + frameSize
                + ") must be powers of two, the frame size above " + HEADROOM);
        }
        this.hugePages = hugePages;
        this.frames = frames;
        this.frameSize = frameSize;
        umem = hugePages ? VirtualMemory.mapAnonymous((long) frames * frameSize, true)
            : arena.allocate((long) frames * frameSize, 4096);
        fill = arena.allocate(DESCRIPTORS + (long) frames * UMEM_ADDRESS_SIZE, 4096);
        rx = arena.allocate(DESCRIPTORS + frames * XDP_DESC.byteSize(), 4096);
        for (int i = 0; i < frames; i++) {
            fill.set(JAVA_LONG, DESCRIPTORS + (long) i * UMEM_ADDRESS_SIZE, (long) i * frameSize);
        }
        storeRelease(fill, PRODUCER, frames);
        offsets = arena.allocate(XDP_MMAP_OFFSETS_LAYOUT);
        for (long ring : new long[] {MMAP_RX_OFFSET, MMAP_FILL_OFFSET}) {
            offsets.set(JAVA_LONG, ring + RING_PRODUCER_OFFSET, PRODUCER);
            offsets.set(JAVA_LONG, ring + RING_CONSUMER_OFFSET, CONSUMER);
            offsets.set(JAVA_LONG, ring + RING_FLAGS_OFFSET, FLAGS);
            offsets.set(JAVA_LONG, ring + RING_DESC_OFFSET, DESCRIPTORS);
        }
    }

    /** A socket over these rings whose records carry {@code sourceId}; close it before these rings. */
    XskSocket socket(int sourceId) {
        return XskSocket.overMemory(umem, fill, rx, offsets, frames, frameSize, sourceId);
    }

    /**
     * Receives {@code count} frames of {@code length} bytes (their bytes are whatever the UMEM frames hold):
     * takes their addresses from the fill ring, writes metadata stamped {@code timestampNanos} with
     * {@code metadataFlags} ({@link XdpMetadata}), or leaves the headroom as it was if {@code withMetadata} is
     * false (a frame the program did not stamp: whatever an earlier frame left there), and publishes
     * them in the RX ring. Returns how many it received: fewer than asked when the fill ring runs dry or the
     * RX ring is full, as the kernel would drop them.
     */
    int receive(int count, int length, long timestampNanos, int metadataFlags, boolean withMetadata) {
        int room = Math.min(fillAvailable(), frames - (rxProducer - loadAcquire(rx, CONSUMER)));
        int n = Math.min(count, room);
        for (int i = 0; i < n; i++) {
            long address = fill.get(JAVA_LONG, DESCRIPTORS + (long) ((fillConsumer + i) & (frames - 1))
                * UMEM_ADDRESS_SIZE) + HEADROOM;
            long metadata = address - XdpMetadata.SIZE;
            if (withMetadata) {
                umem.set(JAVA_LONG, metadata + XdpMetadata.TIMESTAMP_OFFSET, timestampNanos);
                umem.set(JAVA_INT, metadata + XdpMetadata.FLAGS_OFFSET, metadataFlags);
                umem.set(JAVA_INT, metadata + XdpMetadata.MAGIC_OFFSET, XdpMetadata.MAGIC);
            }
            long descriptor = DESCRIPTORS + ((rxProducer + i) & (frames - 1)) * XDP_DESC.byteSize();
            rx.set(JAVA_LONG, descriptor + DESC_ADDR_OFFSET, address);
            rx.set(JAVA_INT, descriptor + DESC_LEN_OFFSET, length);
        }
        fillConsumer += n;
        rxProducer += n;
        storeRelease(fill, CONSUMER, fillConsumer);
        storeRelease(rx, PRODUCER, rxProducer);
        return n;
    }

    /**
     * Moves the RX consumer and the fill producer as a socket that took every received frame and gave it
     * back would, without reading anything: the kernel's side alone, for a benchmark to subtract.
     */
    void consumeAll() {
        storeRelease(rx, CONSUMER, rxProducer);
        storeRelease(fill, PRODUCER, fillConsumer + frames);
    }

    /** Addresses waiting in the fill ring for the kernel. */
    int fillAvailable() {
        return loadAcquire(fill, PRODUCER) - fillConsumer;
    }

    /** Every UMEM frame, in order: fill them with content before receiving. */
    MemorySegment umem() {
        return umem;
    }

    @Override
    public void close() {
        arena.close();
        if (hugePages) {
            VirtualMemory.unmap(umem);
        }
    }
}
