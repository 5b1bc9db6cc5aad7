package io.ringcap.capture;

import io.ringcap.linux.CallState;
import io.ringcap.linux.Clocks;
import io.ringcap.linux.LinuxException;
import io.ringcap.linux.MemoryLock;
import io.ringcap.linux.SocketLayouts;
import io.ringcap.linux.Sockets;
import io.ringcap.linux.Syscalls;
import io.ringcap.linux.VirtualMemory;
import io.ringcap.ring.RecordDescriptor;
import io.ringcap.ring.RingWriter;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import static io.ringcap.linux.XdpSocketLayouts.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * One AF_XDP socket bound to one receive queue, with a UMEM of its own and its fill and RX rings mapped
 * into the process. Every UMEM frame starts in the fill ring; the capture thread copies each received
 * frame into the packet ring and hands the frame straight back through the fill ring, so frames are
 * never short while the capture thread keeps up. No system call unless the driver asks for a wake-up
 * ({@code XDP_RING_NEED_WAKEUP} on the fill ring), counted in {@link #wakeups()}.
 * <p>
 * Ring indices are u32s that only grow: the side that owns an index publishes it with a release store,
 * the other reads it with an acquire load ({@code XdpSocketLayouts#storeRelease}/{@code loadAcquire}).
 */
final class XskSocket implements AutoCloseable {
    private static final int POLLIN = 1;
    /** Frames whose first cache lines are loaded before any of them is copied. */
    private static final int TOUCH_AHEAD = 32;
    /** A frame's second cache line, where a 64-byte UDP payload ends (42 bytes of headers before it). */
    private static final long SECOND_LINE_OFFSET = 64;

    final int queue;
    final int fd;
    final boolean zeroCopy;
    private final MemorySegment umem;
    private final MemorySegment fill;
    private final MemorySegment rx;
    /** Mapped, locked and empty: frames come back through it only once something is transmitted from the UMEM. */
    private final MemorySegment completion;
    private final long fillProducer;
    private final long fillFlags;
    private final long fillDesc;
    private final long rxProducer;
    private final long rxConsumer;
    private final long rxDesc;
    private final int mask;
    private final long frameMask;
    private final int sourceId;
    private final Arena wakeArena = Arena.ofShared();
    private final MemorySegment pollFd = wakeArena.allocate(8);
    private final CallState wakeState = CallState.allocate(wakeArena);
    private final MemorySegment statistics = wakeArena.allocate(XDP_STATISTICS_LAYOUT);
    private final MemorySegment statisticsLength = wakeArena.allocate(JAVA_INT);
    private final CallState counterState = CallState.allocate(wakeArena);
    private final long[] metadata = new long[TOUCH_AHEAD];
    private int rxHead;
    private int fillTail;
    private long wakeups;
    /** What the touch-ahead loads read; stored so that the JIT keeps them. */
    private long touched;

    private XskSocket(int queue, int fd, boolean zeroCopy, MemorySegment umem, MemorySegment fill, MemorySegment rx,
        MemorySegment completion,
        MemorySegment offsets, int frames, int frameSize, int sourceId) {
        this.queue = queue;
        this.fd = fd;
        this.zeroCopy = zeroCopy;
        this.umem = umem;
        this.fill = fill;
        this.rx = rx;
        this.completion = completion;
        this.fillProducer = offsets.get(JAVA_LONG, MMAP_FILL_OFFSET + RING_PRODUCER_OFFSET);
        this.fillFlags = offsets.get(JAVA_LONG, MMAP_FILL_OFFSET + RING_FLAGS_OFFSET);
        this.fillDesc = offsets.get(JAVA_LONG, MMAP_FILL_OFFSET + RING_DESC_OFFSET);
        this.rxProducer = offsets.get(JAVA_LONG, MMAP_RX_OFFSET + RING_PRODUCER_OFFSET);
        this.rxConsumer = offsets.get(JAVA_LONG, MMAP_RX_OFFSET + RING_CONSUMER_OFFSET);
        this.rxDesc = offsets.get(JAVA_LONG, MMAP_RX_OFFSET + RING_DESC_OFFSET);
        this.mask = frames - 1;
        this.frameMask = ~((long) frameSize - 1);
        this.sourceId = sourceId;
        pollFd.set(JAVA_INT, 0, fd);
        pollFd.set(JAVA_SHORT, 4, (short) POLLIN);
        rxHead = loadAcquire(rx, rxConsumer);
        fillTail = loadAcquire(fill, fillProducer);
    }

    /**
     * Opens a socket on {@code queue} of {@code interfaceIndex} with {@code frames} UMEM frames of
     * {@code frameSize} bytes (both powers of two), every frame given to the kernel through the fill ring.
     * Asks for zero-copy where the driver has it and falls back to copy mode; {@code warnings} says which.
     */
    static XskSocket open(String interfaceName, int interfaceIndex, int queue, int frames, int frameSize,
        boolean hugePages, List<String> warnings) {
        int fd;
        try {
            fd = Sockets.open(SocketLayouts.AF_XDP, SocketLayouts.SOCK_RAW | SocketLayouts.SOCK_CLOEXEC, 0);
        } catch (LinuxException e) {
            throw new CaptureException("cannot open an AF_XDP socket: " + e.getMessage(), e);
        }
        MemorySegment umem = null;
        MemorySegment fill = null;
        MemorySegment rx = null;
        MemorySegment completion = null;
        try (Arena arena = Arena.ofConfined()) {
            umem = mapUmem((long) frames * frameSize, hugePages, warnings);
            MemorySegment reg = arena.allocate(XDP_UMEM_REG_LAYOUT);
            writeUmemReg(reg, umem, frameSize, 0, 0);
            Sockets.setOption(fd, SOL_XDP, XDP_UMEM_REG, reg);
            Sockets.setOption(fd, SOL_XDP, XDP_UMEM_FILL_RING, frames);
            // The kernel wants a completion ring on every UMEM, even one that never transmits.
            Sockets.setOption(fd, SOL_XDP, XDP_UMEM_COMPLETION_RING, frames);
            Sockets.setOption(fd, SOL_XDP, XDP_RX_RING, frames);
            MemorySegment offsets = arena.allocate(XDP_MMAP_OFFSETS_LAYOUT);
            Sockets.getOption(fd, SOL_XDP, XDP_MMAP_OFFSETS, offsets);
            int prot = VirtualMemory.PROT_READ | VirtualMemory.PROT_WRITE;
            int flags = VirtualMemory.MAP_SHARED | VirtualMemory.MAP_POPULATE;
            fill = VirtualMemory.map(offsets.get(JAVA_LONG, MMAP_FILL_OFFSET + RING_DESC_OFFSET)
                + frames * UMEM_ADDRESS_SIZE, prot, flags, fd, XDP_UMEM_PGOFF_FILL_RING);
            rx = VirtualMemory.map(offsets.get(JAVA_LONG, MMAP_RX_OFFSET + RING_DESC_OFFSET)
                + frames * XDP_DESC.byteSize(), prot, flags, fd, XDP_PGOFF_RX_RING);
            completion = VirtualMemory.map(offsets.get(JAVA_LONG, MMAP_COMPLETION_OFFSET + RING_DESC_OFFSET)
                + frames * UMEM_ADDRESS_SIZE, prot, flags, fd, XDP_UMEM_PGOFF_COMPLETION_RING);
            // Every frame to the kernel before bind: nothing can arrive before the rings are ready.
            long fillDesc = offsets.get(JAVA_LONG, MMAP_FILL_OFFSET + RING_DESC_OFFSET);
            long fillProducer = offsets.get(JAVA_LONG, MMAP_FILL_OFFSET + RING_PRODUCER_OFFSET);
            int producer = loadAcquire(fill, fillProducer);
            for (int i = 0; i < frames; i++) {
                fill.set(JAVA_LONG, fillDesc + ((producer + i) & (frames - 1)) * UMEM_ADDRESS_SIZE, (long) i * frameSize);
            }
            storeRelease(fill, fillProducer, producer + frames);
            boolean zeroCopy = bind(fd, interfaceName, interfaceIndex, queue, arena);
            if (!zeroCopy) {
                warnings.add("AF_XDP on " + interfaceName + " queue " + queue + " runs in copy mode (the driver has"
                    + " no zero-copy): the kernel copies each frame into the UMEM");
            }
            return new XskSocket(queue, fd, zeroCopy, umem, fill, rx, completion, offsets, frames, frameSize,
                interfaceIndex);
        } catch (RuntimeException e) {
            unmapQuietly(completion);
            unmapQuietly(rx);
            unmapQuietly(fill);
            unmapQuietly(umem);
            Sockets.close(fd);
            throw e instanceof LinuxException linux
                ? new CaptureException("cannot set up an AF_XDP socket on " + interfaceName + " queue " + queue + ": "
                    + linux.getMessage(), linux)
                : e;
        }
    }

    /**
     * A socket over rings laid out as the kernel lays them out ({@code offsets} as XDP_MMAP_OFFSETS gives
     * them), with no kernel and no file descriptor ({@link InMemoryXskRings} plays the kernel's part); closing
     * it leaves that memory to its owner.
     */
    static XskSocket overMemory(MemorySegment umem, MemorySegment fill, MemorySegment rx, MemorySegment offsets,
        int frames, int frameSize, int sourceId) {
        return new XskSocket(0, -1, false, umem, fill, rx, null, offsets, frames, frameSize, sourceId);
    }

    /**
     * Moves up to {@code limit} received frames into {@code writer} (committed, not published) and gives
     * their UMEM frames back to the kernel.
     */
    int poll(RingWriter writer, int limit, long taiOffsetNanos) {
        // Unaligned layouts for values that are aligned: the aligned ones check the address on every access.
        // XskReceiveBenchmark, 64 B, alternating jars: the loop alone 32.5 ns a packet on average, 30.6 without.
        MemorySegment rx = this.rx;
        int head = rxHead;
        int available = loadAcquire(rx, rxProducer) - head;
        if (available == 0) {
            return 0;
        }
        int count = Math.min(available, limit);
        MemorySegment umem = this.umem;
        MemorySegment fill = this.fill;
        long[] metadata = this.metadata;
        int tail = fillTail;
        for (int done = 0; done < count; done += TOUCH_AHEAD) {
            int batch = Math.min(TOUCH_AHEAD, count - done);
            // First every frame's metadata and first bytes, then the copies: the loads are independent, so their
            // cache misses overlap instead of each copy waiting for its own. The kernel filled the frames on
            // another CPU, 2 KiB apart, where no hardware prefetcher follows. On veth at 700k 64-byte packets/s
            // the capture thread spent ~110 ns a packet copying one at a time, ~77 with batches of 32 (16: ~82,
            // 64: no better), against ~50 for AF_PACKET's packed blocks (bench/capture-threads.sh afxdp max).
            long touched = 0;
            for (int i = 0; i < batch; i++) {
                long address = rx.get(JAVA_LONG_UNALIGNED,
                    rxDesc + (long) ((head + done + i) & mask) * XDP_DESC.byteSize() + DESC_ADDR_OFFSET);
                metadata[i] = umem.get(JAVA_LONG_UNALIGNED, address - XdpMetadata.SIZE + XdpMetadata.FLAGS_OFFSET);
                touched ^= umem.get(JAVA_LONG_UNALIGNED, address)
                    ^ umem.get(JAVA_LONG_UNALIGNED, address + SECOND_LINE_OFFSET);
            }
            this.touched = touched;
            for (int i = 0; i < batch; i++) {
                long desc = rxDesc + (long) ((head + done + i) & mask) * XDP_DESC.byteSize();
                long address = rx.get(JAVA_LONG_UNALIGNED, desc + DESC_ADDR_OFFSET);
                int length = rx.get(JAVA_INT_UNALIGNED, desc + DESC_LEN_OFFSET);
                copyFrame(writer, umem, address, length, metadata[i], taiOffsetNanos);
                fill.set(JAVA_LONG_UNALIGNED, fillDesc + (long) ((tail + done + i) & mask) * UMEM_ADDRESS_SIZE,
                    address & frameMask);
            }
        }
        rxHead = head + count;
        fillTail = tail + count;
        // Release: the frames' bytes are read before the kernel may reuse the descriptors and frames.
        storeRelease(rx, rxConsumer, rxHead);
        storeRelease(fill, fillProducer, fillTail);
        if ((fill.get(JAVA_INT, fillFlags) & XDP_RING_NEED_WAKEUP) != 0) {
            wakeups++;
            Syscalls.poll(wakeState, pollFd, 1, 0);
        }
        return count;
    }

    private void copyFrame(RingWriter writer, MemorySegment umem, long address, int length, long flagsAndMagic,
        long taiOffsetNanos) {
        long meta = address - XdpMetadata.SIZE;
        long timestamp;
        int flags = 0;
        if ((int) (flagsAndMagic >>> 32) == XdpMetadata.MAGIC) {
            umem.set(JAVA_INT_UNALIGNED, meta + XdpMetadata.MAGIC_OFFSET, 0);
            timestamp = umem.get(JAVA_LONG_UNALIGNED, meta + XdpMetadata.TIMESTAMP_OFFSET);
            if (((int) flagsAndMagic & XdpMetadata.FLAG_HARDWARE) != 0) {
                flags = RecordDescriptor.FLAG_HARDWARE_TIMESTAMP;
            } else {
                timestamp -= taiOffsetNanos;
            }
        } else {
            timestamp = Clocks.realtimeNanos();
        }
        // write() cuts a frame longer than the ring's largest record and flags it truncated.
        writer.write(umem, address, length, length, timestamp, sourceId, flags);
    }

    /** Wake-up system calls the driver asked for so far. */
    long wakeups() {
        return wakeups;
    }

    /** The kernel's drop counts for this socket: RX ring full plus dropped for other reasons (no fill frame). */
    synchronized long kernelDrops() {
        statisticsLength.set(JAVA_INT, 0, (int) XDP_STATISTICS_LAYOUT.byteSize());
        counterState.check(Syscalls.getsockopt(counterState, fd, SOL_XDP, XDP_STATISTICS, statistics,
            statisticsLength), "getsockopt(SOL_XDP, XDP_STATISTICS)");
        return statistics.get(JAVA_LONG, STATS_RX_DROPPED_OFFSET) + statistics.get(JAVA_LONG, STATS_RX_RING_FULL_OFFSET);
    }

    /** The UMEM and rings, for the record. */
    List<MemorySegment> memory() {
        return completion == null ? List.of(umem, fill, rx) : List.of(umem, fill, rx, completion);
    }

    @Override
    public synchronized void close() {
        if (fd < 0) {
            wakeArena.close();
            return;
        }
        try {
            unmapQuietly(completion);
            unmapQuietly(rx);
            unmapQuietly(fill);
            Sockets.close(fd);
            VirtualMemory.unmap(umem);
        } finally {
            wakeArena.close();
        }
    }

    /** Binds with need-wakeup, zero-copy if the driver can, else copy mode; true for zero-copy. */
    private static boolean bind(int fd, String interfaceName, int interfaceIndex, int queue, Arena arena) {
        MemorySegment address = arena.allocate(SOCKADDR_XDP);
        writeSockaddrXdp(address, (short) (XDP_USE_NEED_WAKEUP | XDP_ZEROCOPY), interfaceIndex, queue);
        try {
            Sockets.bind(fd, address);
            return true;
        } catch (LinuxException zeroCopyRefused) {
            writeSockaddrXdp(address, (short) (XDP_USE_NEED_WAKEUP | XDP_COPY), interfaceIndex, queue);
            Sockets.bind(fd, address);
            return false;
        }
    }

    private static MemorySegment mapUmem(long size, boolean hugePages, List<String> warnings) {
        MemorySegment umem = null;
        if (hugePages) {
            try {
                umem = VirtualMemory.mapAnonymous(size, true);
            } catch (LinuxException e) {
                warnings.add("the UMEM is in normal pages: no huge pages to be had (" + e.errnoName() + "; reserve"
                    + " some with 'sysctl vm.nr_hugepages=N')");
            }
        }
        if (umem == null) {
            umem = VirtualMemory.mapAnonymous(size, false);
        }
        try {
            MemoryLock.lockAndPrefault(umem);
        } catch (LinuxException e) {
            warnings.add("the UMEM is not locked in memory (" + e.getMessage() + ")");
        }
        return umem;
    }

    private static void unmapQuietly(MemorySegment mapping) {
        if (mapping != null) {
            try {
                VirtualMemory.unmap(mapping);
            } catch (LinuxException ignored) {
                // already failing set-up or closing: the first error is the one to report
            }
        }
    }
}
