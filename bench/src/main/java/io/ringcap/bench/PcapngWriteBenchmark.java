package io.ringcap.bench;

import io.ringcap.pcap.OutputSink;
import io.ringcap.pcap.PcapngDescriptor;
import io.ringcap.pcap.PcapngWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.TimeUnit;

/**
 * The pcapng writer alone, to memory: one Enhanced Packet Block of a {@code frameSize}-byte frame per
 * operation into a 4 MiB buffer: the writer's own, which a channel that keeps nothing empties when full
 * ({@code output = channel}), or one an {@link OutputSink} lends over and over and discards when handed back
 * ({@code output = sink}, as the recorder's file output does). So the figure is the encoding and the copy,
 * not a disk. Frame bytes divided by the score is the writer's GB/s; the recorder needs it well above the
 * disk's bandwidth.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class PcapngWriteBenchmark {
    @Param({"64", "1500"})
    public int frameSize;

    @Param({"channel", "sink"})
    public String output;

    private Arena arena;
    private MemorySegment frame;
    private PcapngWriter writer;
    private int interfaceId;
    private long timestamp = 1_764_000_000_000_000_000L;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        arena = Arena.ofConfined();
        frame = arena.allocate(frameSize, Long.BYTES).fill((byte) 0x5A);
        writer = output.equals("sink")
            ? new PcapngWriter(new DiscardingSink(arena.allocate(PcapngWriter.DEFAULT_BUFFER_CAPACITY, 4096)))
            : new PcapngWriter(new DiscardingChannel(), PcapngWriter.DEFAULT_BUFFER_CAPACITY);
        writer.writeSectionHeader(null, null, null, null);
        interfaceId = writer.writeInterfaceDescription(1, 65535, "bench0", "ringcap bench", null);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        writer.close();
        arena.close();
    }

    @Benchmark
    public long writePacket() throws IOException {
        // The epb_flags the recorder writes for a multicast frame it received: 12 bytes of option per packet.
        writer.writePacket(interfaceId, timestamp++, frame, 0, frameSize, frameSize,
            PcapngDescriptor.EPB_FLAG_INBOUND | PcapngDescriptor.EPB_FLAG_MULTICAST);
        return timestamp;
    }

    /** Lends the same segment every time and keeps nothing of what it takes back. */
    private record DiscardingSink(MemorySegment segment) implements OutputSink {
        @Override
        public MemorySegment lend() {
            return segment;
        }

        @Override
        public void take(MemorySegment filled, int length) {
        }
    }

    /** Takes every byte and keeps none. */
    private static final class DiscardingChannel implements WritableByteChannel {
        @Override
        public int write(ByteBuffer source) {
            int length = source.remaining();
            source.position(source.limit());
            return length;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
