package io.ringcap.pcap;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The pcapng reader either reads a file or refuses it with a PcapFormatException; any other
 * exception, a hang or an OutOfMemoryError is a finding. In a plain {@code mvn test} this runs
 * the seeds under {@code src/test/resources/.../PcapngReaderFuzzTestInputs}; with
 * {@code JAZZER_FUZZ=1} it fuzzes (see docs/pcap.md).
 */
class PcapngReaderFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void readerParsesOrRejectsCleanly(final byte[] file) {
        ReaderFuzzing.readOrReject(file);
    }
}
