package io.ringcap.pcap;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The classic pcap reader either reads a file or refuses it with a PcapFormatException; anything
 * else is a finding. Seeds under {@code src/test/resources/.../PcapReaderFuzzTestInputs}.
 */
class PcapReaderFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void readerParsesOrRejectsCleanly(final byte[] file) {
        ReaderFuzzing.readOrReject(file);
    }
}
