package io.ringcap.record;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Direct-mode output: whatever sizes come, flushed or not, the file ends up holding exactly the bytes accepted. */
class FileOutputTest {
    private static final int BUFFER = 128 * 1024;

    @Test
    void directWritesOfEverySizeWithFlushesBetweenLandInOrder() throws IOException {
        Path directory = Files.createTempDirectory(Path.of("/var/tmp"), "ringcap-file-output-test");
        Path file = directory.resolve("out.pcapng.part");
        try {
            FileOutput output = openDirect(file);
            SplittableRandom random = new SplittableRandom(42);
            byte[] expected = new byte[9 * BUFFER + 12_345];
            random.nextBytes(expected);
            int at = 0;
            try (output) {
                while (at < expected.length) {
                    int size = Math.min(expected.length - at, 1 + random.nextInt(random.nextBoolean() ? 300 : 70_000));
                    ByteBuffer chunk = ByteBuffer.wrap(expected, at, size);
                    while (chunk.hasRemaining()) {
                        output.write(chunk);
                    }
                    at += size;
                    if (random.nextInt(10) == 0) {
                        output.flush();
                        assertThat(output.length()).isEqualTo(at);
                        assertThat(Arrays.copyOf(Files.readAllBytes(file), at)).as("flushed bytes are in the file")
                            .isEqualTo(Arrays.copyOf(expected, at));
                    }
                }
                output.flush();
            }
            assertThat(Files.readAllBytes(file)).isEqualTo(expected);
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(directory);
        }
    }

    @Test
    void cutDropsWhatFollowsEvenAWriteInFlight() throws IOException {
        Path directory = Files.createTempDirectory(Path.of("/var/tmp"), "ringcap-file-output-test");
        Path file = directory.resolve("out.pcapng.part");
        try {
            FileOutput output = openDirect(file);
            byte[] bytes = new byte[3 * BUFFER];
            Arrays.fill(bytes, (byte) 7);
            try (output) {
                ByteBuffer chunk = ByteBuffer.wrap(bytes);
                while (chunk.hasRemaining()) {
                    output.write(chunk);
                }
                output.cut(4096);
                output.write(ByteBuffer.wrap(new byte[100]));
                assertThat(output.length()).isEqualTo(4096);
            }
            assertThat(Files.size(file)).isEqualTo(4096);
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(directory);
        }
    }

    /** Direct output to {@code file}; skips the test where the file system refuses O_DIRECT. */
    private static FileOutput openDirect(Path file) throws IOException {
        try {
            return FileOutput.create(file, true, BUFFER);
        } catch (RecordingException e) {
            assumeTrue(false, "the file system of /var/tmp refuses O_DIRECT: " + e.getMessage());
            throw e;
        }
    }
}
