package io.ringcap.ring.example;

import io.ringcap.ring.RingFile;
import io.ringcap.ring.RingWriter;
import io.ringcap.ring.TimestampSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's Java example is {@link PacketCounter}, word for word, and it works. */
class ReadmeExampleTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Path EXAMPLE = Path.of("src/test/java/io/ringcap/ring/example/PacketCounter.java");
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL);

    @Test
    void readmeJavaBlockIsThePacketCounterSource() throws IOException {
        Matcher block = JAVA_BLOCK.matcher(Files.readString(README));
        assertThat(block.find()).as("README.md has a ```java block").isTrue();
        String source = Files.readString(EXAMPLE);
        // The file's body: everything after its package line, which the README leaves out.
        String body = source.substring(source.indexOf(";\n") + 2).stripLeading();
        assertThat(block.group(1)).isEqualTo(body);
        assertThat(block.find()).as("only one ```java block: the one this test checks").isFalse();
    }

    @Test
    void packetCounterCountsAClosedRing(@TempDir Path dir) {
        Path ring = dir.resolve("demo.ring");
        RingFile.create(ring, 1 << 20, false).close();
        try (RingWriter writer = RingWriter.open(ring, TimestampSource.USER, "test");
             Arena arena = Arena.ofConfined()) {
            MemorySegment frame = arena.allocate(100);
            for (int i = 0; i < 1000; i++) {
                writer.write(frame, 0, 60 + i % 40, 60 + i % 40, 1_000L + i, 0, 0);
            }
            writer.publish();
        }
        PrintStream saved = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            PacketCounter.main(new String[] {ring.toString()});
        } finally {
            System.setOut(saved);
        }
        long bytes = 0;
        for (int i = 0; i < 1000; i++) {
            bytes += 60 + i % 40;
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo("1000 packets, " + bytes + " bytes, 0 lost"
            + System.lineSeparator());
    }
}
