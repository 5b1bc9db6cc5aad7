package io.ringcap.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.ringcap.linux.XdpSocketLayouts.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** An AF_XDP socket with a registered UMEM: the kernel accepting our layouts is the test. */
class XdpSocketTest {
    private static final int FRAMES = 16;
    private static final int FRAME_SIZE = 4096;

    @BeforeEach
    void needsCapNetRaw() {
        assumeTrue(Capabilities.ofCurrentThread().hasEffective(CapabilityLayouts.CAP_NET_RAW),
            "needs root: AF_XDP sockets need CAP_NET_RAW");
    }

    @Test
    void umemRegistrationAndRingSizesGiveUsableMmapOffsets() {
        int fd = Sockets.open(SocketLayouts.AF_XDP, SocketLayouts.SOCK_RAW | SocketLayouts.SOCK_CLOEXEC, 0);
        MemorySegment umem = VirtualMemory.mapAnonymous((long) FRAMES * FRAME_SIZE, false);
        MemorySegment fillRing = null;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment reg = arena.allocate(XDP_UMEM_REG_LAYOUT);
            writeUmemReg(reg, umem, FRAME_SIZE, 0, 0);
            Sockets.setOption(fd, SOL_XDP, XDP_UMEM_REG, reg);
            Sockets.setOption(fd, SOL_XDP, XDP_UMEM_FILL_RING, FRAMES);
            Sockets.setOption(fd, SOL_XDP, XDP_UMEM_COMPLETION_RING, FRAMES);
            Sockets.setOption(fd, SOL_XDP, XDP_RX_RING, FRAMES);

            MemorySegment offsets = arena.allocate(XDP_MMAP_OFFSETS_LAYOUT);
            assertThat(Sockets.getOption(fd, SOL_XDP, XDP_MMAP_OFFSETS, offsets))
                .isEqualTo((int) XDP_MMAP_OFFSETS_LAYOUT.byteSize());
            long fill = MMAP_FILL_OFFSET;
            long producer = offsets.get(JAVA_LONG, fill + RING_PRODUCER_OFFSET);
            long consumer = offsets.get(JAVA_LONG, fill + RING_CONSUMER_OFFSET);
            long flags = offsets.get(JAVA_LONG, fill + RING_FLAGS_OFFSET);
            long desc = offsets.get(JAVA_LONG, fill + RING_DESC_OFFSET);
            assertThat(desc).isGreaterThan(Math.max(producer, Math.max(consumer, flags)));
            assertThat(offsets.get(JAVA_LONG, MMAP_RX_OFFSET + RING_DESC_OFFSET)).isEqualTo(desc);

            fillRing = VirtualMemory.map(desc + FRAMES * UMEM_ADDRESS_SIZE,
                VirtualMemory.PROT_READ | VirtualMemory.PROT_WRITE,
                VirtualMemory.MAP_SHARED | VirtualMemory.MAP_POPULATE, fd, XDP_UMEM_PGOFF_FILL_RING);
            fillRing.set(JAVA_LONG, desc, 0);
            storeRelease(fillRing, producer, 1);
            assertThat(loadAcquire(fillRing, producer)).isEqualTo(1);
            assertThat(loadAcquire(fillRing, consumer)).isZero();

            MemorySegment options = arena.allocate(XDP_OPTIONS_LAYOUT);
            Sockets.getOption(fd, SOL_XDP, XDP_OPTIONS, options);
            assertThat(options.get(JAVA_INT, 0) & XDP_OPTIONS_ZEROCOPY).isZero();
        } finally {
            if (fillRing != null) {
                VirtualMemory.unmap(fillRing);
            }
            Sockets.close(fd);
            VirtualMemory.unmap(umem);
        }
    }

    @Test
    void umemWithBadChunkSizeIsEinvalNamingTheOption() {
        int fd = Sockets.open(SocketLayouts.AF_XDP, SocketLayouts.SOCK_RAW | SocketLayouts.SOCK_CLOEXEC, 0);
        MemorySegment umem = VirtualMemory.mapAnonymous((long) FRAMES * FRAME_SIZE, false);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment reg = arena.allocate(XDP_UMEM_REG_LAYOUT);
            writeUmemReg(reg, umem, 100, 0, 0);
            LinuxException e = catchThrowableOfType(
                LinuxException.class, () -> Sockets.setOption(fd, SOL_XDP, XDP_UMEM_REG, reg));
            assertThat(e.getMessage()).startsWith("setsockopt(SOL_XDP, XDP_UMEM_REG) failed: EINVAL");
        } finally {
            Sockets.close(fd);
            VirtualMemory.unmap(umem);
        }
    }
}
