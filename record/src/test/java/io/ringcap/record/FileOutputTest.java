package io.ringcap.record;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The file ends up holding exactly the bytes handed back, in order, whatever the sizes, flushes and failed
 * writes; with O_DIRECT every write is of whole aligned blocks.
 */
class FileOutputTest {
    private static final int BUFFER = 128 * 1024;

    private Path directory;
    private Path file;

    @BeforeEach
    void createDirectory() throws IOException {
        directory = Recordings.directIoDirectory();
        file = directory.resolve("out.pcapng.part");
    }

    @AfterEach
    void deleteDirectory() throws IOException {
        Recordings.deleteTree(directory);
    }

    @ParameterizedTest(name = "direct {0}")
    @ValueSource(booleans = {true, false})
    void writesOfEverySizeWithFlushesBetweenLandInOrder(boolean direct) throws IOException {
        FileOutput output = direct ? openDirect() : FileOutput.create(file, false, BUFFER);
        SplittableRandom random = new SplittableRandom(42);
        byte[] expected = new byte[9 * BUFFER + 12_345];
        random.nextBytes(expected);
        int at = 0;
        try (output) {
            Writer writer = new Writer(output);
            while (at < expected.length) {
                int size = Math.min(expected.length - at, 1 + random.nextInt(random.nextBoolean() ? 300 : 70_000));
                writer.put(expected, at, size);
                at += size;
                if (random.nextInt(10) == 0) {
                    writer.handBack();
                    output.flush();
                    assertThat(output.length()).isEqualTo(at);
                    assertThat(Arrays.copyOf(Files.readAllBytes(file), at)).as("flushed bytes are in the file")
                        .isEqualTo(Arrays.copyOf(expected, at));
                }
            }
            writer.handBack();
            output.flush();
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(expected);
    }

    @Test
    void onlyWholeAlignedBlocksAreWrittenAndAFlushedPartialBlockIsWrittenAgainWhenComplete() throws IOException {
        FaultyFileChannel channel = openFaultyDirect();
        int block = block();
        byte[] bytes = new byte[3 * BUFFER];
        new SplittableRandom(1).nextBytes(bytes);
        try (FileOutput output = new FileOutput(channel, block, BUFFER)) {
            Writer writer = new Writer(output);
            // Buffers handed back part full leave a partial block to carry into the next buffer.
            writer.put(bytes, 0, 1000);
            writer.handBack();
            writer.put(bytes, 1000, BUFFER - 1);
            writer.handBack();
            writer.put(bytes, 1000 + BUFFER - 1, 5000);
            writer.handBack();
            output.flush();
            List<FaultyFileChannel.Write> writes = channel.writes();
            long next = 0;
            for (FaultyFileChannel.Write write : writes) {
                assertThat(write.offset() % block).isZero();
                assertThat(write.length() % block).isZero();
                assertThat(write.address() % block).isZero();
                assertThat(write.offset()).as("each write follows the last, except the rewritten partial block")
                    .isEqualTo(next);
                next = write.offset() + write.length();
            }
            long flushed = 1000 + BUFFER - 1 + 5000;
            assertThat(writes.getLast().offset()).as("the padded partial block").isEqualTo(flushed / block * block);
            assertThat(writes.getLast().length()).isEqualTo(block);
            assertThat(Files.size(file)).isEqualTo(flushed / block * block + block);

            writer.put(bytes, (int) flushed, bytes.length - (int) flushed);
            writer.handBack();
            output.flush();
            assertThat(channel.writes().get(writes.size()).offset()).as("the partial block, completed")
                .isEqualTo(flushed / block * block);
        }
        assertThat(Files.readAllBytes(file)).as("the padding is cut off").isEqualTo(bytes);
    }

    @ParameterizedTest(name = "direct {0}")
    @ValueSource(booleans = {true, false})
    void aFailedWriteIsWrittenAgainFromWhereTheKernelStoppedAndNothingIsLostOrReordered(boolean direct)
        throws IOException {
        FaultyFileChannel channel = direct ? openFaultyDirect()
            : new FaultyFileChannel(FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 1);
        SplittableRandom random = new SplittableRandom(3);
        ByteArrayOutputStream accepted = new ByteArrayOutputStream();
        int refused = 0;
        try (FileOutput output = new FileOutput(channel, direct ? block() : 1, BUFFER)) {
            Writer writer = new Writer(output);
            for (int round = 0; round < 3; round++) {
                // The disk fills up part way through a buffer.
                channel.spaceLeft(BUFFER * 5L / 2 + 1000);
                boolean failing = false;
                for (int i = 0; i < 100 && !failing; i++) {
                    byte[] chunk = new byte[1 + random.nextInt(20_000)];
                    random.nextBytes(chunk);
                    try {
                        writer.put(chunk, 0, chunk.length);
                        accepted.write(chunk);
                    } catch (IOException e) {
                        assertThat(e).hasMessageContaining("No space left");
                        refused++;
                        failing = true;
                    }
                }
                assertThat(failing).as("the disk filled up").isTrue();
                writer.handBack();
                assertThatThrownBy(output::flush).hasMessageContaining("No space left");
                assertThatThrownBy(output::flush).as("still full").hasMessageContaining("No space left");
                // Space is freed: the same output goes on.
                channel.spaceLeft(Long.MAX_VALUE);
                output.flush();
                assertThat(output.length()).isEqualTo(accepted.size());
                assertThat(Arrays.copyOf(Files.readAllBytes(file), accepted.size())).isEqualTo(accepted.toByteArray());
            }
        }
        assertThat(refused).isEqualTo(3);
        assertThat(Files.readAllBytes(file)).isEqualTo(accepted.toByteArray());
    }

    @ParameterizedTest(name = "direct {0}")
    @ValueSource(booleans = {true, false})
    void aFlushTaskRunsOffTheCallersThreadOnceEverythingBeforeItIsInTheFile(boolean direct) throws IOException {
        FileOutput output = direct ? openDirect() : FileOutput.create(file, false, BUFFER);
        SplittableRandom random = new SplittableRandom(7);
        byte[] expected = new byte[9 * BUFFER + 777];
        random.nextBytes(expected);
        List<String> wrong = new CopyOnWriteArrayList<>();
        AtomicInteger ran = new AtomicInteger();
        int flushes = 0;
        Thread caller = Thread.currentThread();
        try (output) {
            Writer writer = new Writer(output);
            int at = 0;
            while (at < expected.length) {
                int size = Math.min(expected.length - at, 1 + random.nextInt(40_000));
                writer.put(expected, at, size);
                at += size;
                if (random.nextInt(4) == 0) {
                    writer.handBack();
                    int flushedLength = at;
                    output.flushThen(random.nextBoolean(), () -> {
                        if (Thread.currentThread() == caller) {
                            wrong.add("ran on the caller's thread");
                        }
                        byte[] inFile = Files.readAllBytes(file);
                        if (inFile.length < flushedLength || !Arrays.equals(inFile, 0, flushedLength, expected, 0,
                            flushedLength)) {
                            wrong.add("the first " + flushedLength + " bytes were not in the file");
                        }
                        ran.incrementAndGet();
                    });
                    flushes++;
                }
            }
            writer.handBack();
            output.flush();
        }
        assertThat(wrong).isEmpty();
        assertThat(ran.get()).isEqualTo(flushes).isGreaterThan(5);
        assertThat(Files.readAllBytes(file)).isEqualTo(expected);
    }

    @Test
    void aFlushTaskIsSkippedWhenAWriteBeforeItFailedAndNothingIsLost() throws IOException {
        FaultyFileChannel channel = openFaultyDirect();
        byte[] bytes = new byte[4 * BUFFER];
        new SplittableRandom(5).nextBytes(bytes);
        AtomicInteger ran = new AtomicInteger();
        try (FileOutput output = new FileOutput(channel, block(), BUFFER)) {
            Writer writer = new Writer(output);
            channel.spaceLeft(BUFFER / 2);
            channel.holdWrites();
            writer.put(bytes, 0, BUFFER + 1000);
            writer.handBack();
            // The write of the first buffer is still to fail on the writing thread: this flush goes on in flight,
            // and its task, queued after the failed write, must not run.
            output.flushThen(false, ran::incrementAndGet);
            channel.releaseWrites();
            // Once the failure is known, a flush is made here, and throws.
            IOException thrown = null;
            for (int i = 0; i < 10_000 && thrown == null; i++) {
                try {
                    output.flushThen(false, ran::incrementAndGet);
                } catch (IOException e) {
                    thrown = e;
                }
            }
            assertThat(thrown).hasMessageContaining("No space left");
            assertThatThrownBy(() -> output.flushThen(false, ran::incrementAndGet)).as("still full")
                .hasMessageContaining("No space left");
            channel.spaceLeft(Long.MAX_VALUE);
            output.flushThen(false, ran::incrementAndGet);
            assertThat(ran.get()).as("only the task after the disk took everything").isEqualTo(1);
            assertThat(Arrays.copyOf(Files.readAllBytes(file), BUFFER + 1000))
                .isEqualTo(Arrays.copyOf(bytes, BUFFER + 1000));
            writer.put(bytes, BUFFER + 1000, bytes.length - BUFFER - 1000);
            writer.handBack();
            output.flushThen(false, ran::incrementAndGet);
            output.flush();
            assertThat(ran.get()).as("tasks run in flight again").isEqualTo(2);
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
    }

    @Test
    void whatAFlushTaskThrowsIsThrownByTheNextFlush() throws IOException {
        try (FileOutput output = openDirect()) {
            Writer writer = new Writer(output);
            writer.put(new byte[5000], 0, 5000);
            writer.handBack();
            output.flushThen(false, () -> {
                throw new IOException("cannot save the state");
            });
            output.flush();
            AtomicInteger ran = new AtomicInteger();
            assertThatThrownBy(() -> output.flushThen(false, ran::incrementAndGet)).hasMessage("cannot save the state");
            output.flushThen(false, ran::incrementAndGet);
            output.flush();
            assertThat(ran.get()).as("only the flush after the one that threw").isEqualTo(1);
        }
    }

    @Test
    void aBufferedFileGoesToTheDiskAsItIsWrittenAndLeavesThePageCache() throws IOException {
        byte[] expected = new byte[40 * BUFFER];
        new SplittableRandom(11).nextBytes(expected);
        try (FileOutput output = FileOutput.create(file, false, BUFFER)) {
            Writer writer = new Writer(output);
            writer.put(expected, 0, expected.length);
            writer.handBack();
            output.flush();
            assertThat(output.controlProblem()).isNull();
            // What the writes left: the last one, still to settle (the one before it is settled as it lands).
            assertThat(Recordings.cachedBytes(file)).as("in the page cache").isLessThanOrEqualTo(2L * BUFFER);
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(expected);
    }

    @Test
    void cutDropsWhatFollowsEvenAFailedWriteInFlight() throws IOException {
        FaultyFileChannel channel = openFaultyDirect();
        byte[] bytes = new byte[3 * BUFFER];
        Arrays.fill(bytes, (byte) 7);
        try (FileOutput output = new FileOutput(channel, block(), BUFFER)) {
            Writer writer = new Writer(output);
            writer.put(bytes, 0, BUFFER);
            writer.handBack();
            output.flush();
            channel.spaceLeft(0);
            writer.put(bytes, 0, BUFFER);
            writer.handBack();
            assertThatThrownBy(output::flush).hasMessageContaining("No space left");
            output.cut(4096);
            writer.put(bytes, 0, 100);
            writer.handBack();
            assertThat(output.length()).isEqualTo(4096);
        }
        assertThat(Files.size(file)).isEqualTo(4096);
    }

    /** Plays the writer's part of the sink contract: fills lent buffers, hands each back full or when told. */
    private static final class Writer {
        private final FileOutput output;
        private MemorySegment segment;
        private int limit;

        Writer(FileOutput output) {
            this.output = output;
        }

        /** Puts {@code length} bytes, in a new buffer if they do not fit in this one; all of them or none. */
        void put(byte[] bytes, int from, int length) throws IOException {
            if (segment != null && length > segment.byteSize() - limit) {
                handBack();
            }
            while (length > 0) {
                if (segment == null) {
                    segment = output.lend();
                    limit = 0;
                }
                int n = (int) Math.min(length, segment.byteSize() - limit);
                MemorySegment.copy(MemorySegment.ofArray(bytes), from, segment, limit, n);
                limit += n;
                from += n;
                length -= n;
                if (limit == segment.byteSize()) {
                    handBack();
                }
            }
        }

        void handBack() {
            if (segment != null) {
                output.take(segment, limit);
                segment = null;
            }
        }
    }

    private FileOutput openDirect() throws IOException {
        return FileOutput.create(file, true, BUFFER);
    }

    private FaultyFileChannel openFaultyDirect() throws IOException {
        return new FaultyFileChannel(FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            com.sun.nio.file.ExtendedOpenOption.DIRECT), block());
    }

    private int block() throws IOException {
        return (int) Files.getFileStore(directory).getBlockSize();
    }
}
