package io.ringcap.record;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class WiresharkReadsRecordingsTest {
    @TempDir
    Path dir;

    private Path onDisk;

    @AfterEach
    void deleteOnDisk() throws IOException {
        Recordings.deleteTree(onDisk);
    }

    @ParameterizedTest(name = "direct {0}")
    @ValueSource(booleans = {false, true})
    void tsharkSeesEveryPacketWithTheSameNanosecondTimestampAndCapinfosNanosecondResolution(boolean direct)
        throws Exception {
        assumeTrue(Wireshark.installed(), "tshark/capinfos not installed (apt-get install tshark)");
        // O_DIRECT needs a disk, which dir (in /tmp, maybe a tmpfs) may not be.
        onDisk = direct ? Recordings.directIoDirectory() : null;
        Path out = (direct ? onDisk : dir).resolve("out");
        try (TestRing ring = new TestRing(dir.resolve("r.ring"), 1 << 20, 60, 1500, 1_234_567);
             Recorder recorder = Recorder.open(
                 RecorderOptions.of(ring.path, out).withRotation(512 << 10, 0).withDirect(direct), e -> { })) {
            for (int i = 0; i < 3; i++) {
                ring.write(500);
                RecorderRoundTripTest.drain(recorder);
            }
        }
        List<Path> files = Recordings.files(out);
        assertThat(files).hasSizeGreaterThan(1);
        for (Path file : files) {
            // epb_flags 0x9: inbound, reception type multicast (TestFrames' destination has the group bit set).
            List<String> ours = Recordings.read(file).stream()
                .map(p -> secondsDotNanos(p.timestampNanos()) + "\t" + String.format("0x%08x", p.flags())).toList();
            assertThat(ours).allSatisfy(line -> assertThat(line).endsWith("\t0x00000009"));
            Wireshark.Run tshark = Wireshark.run("tshark", "-r", file.toString(), "-T", "fields", "-e", "frame.time_epoch",
                "-e", "frame.packet_flags");
            assertThat(tshark.exitCode()).as(tshark.err()).isZero();
            assertThat(tshark.out().lines().toList()).isEqualTo(ours);
            Wireshark.Run capinfos = Wireshark.run("capinfos", "-M", file.toString());
            assertThat(capinfos.exitCode()).as(capinfos.err()).isZero();
            assertThat(capinfos.out()).containsPattern("File timestamp precision:\\s+nanoseconds \\(9\\)")
                .containsPattern("Number of packets:\\s+" + ours.size() + "\\b");
        }
    }

    static String secondsDotNanos(long nanos) {
        return String.format("%d.%09d", nanos / 1_000_000_000L, nanos % 1_000_000_000L);
    }
}
