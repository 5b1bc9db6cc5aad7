package io.ringcap.linux;

import java.util.OptionalInt;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * KernelBtf.functionId either answers (an id from 1, or empty) or refuses the blob with an
 * IllegalArgumentException; any other exception, a hang or an OutOfMemoryError is a finding. In a plain
 * {@code mvn test} this runs the seeds under {@code src/test/resources/.../KernelBtfFuzzTestInputs}; with
 * {@code JAZZER_FUZZ=1} it fuzzes ({@code ./mvnw -f linux/pom.xml test -Pfuzz -Dfuzz.target=KernelBtfFuzzTest}).
 */
class KernelBtfFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void functionIdFindsOrRejectsCleanly(final byte[] blob) {
        try {
            OptionalInt id = KernelBtf.functionId(blob, "f");
            if (id.isPresent() && id.getAsInt() < 1) {
                throw new IllegalStateException("type ids count from 1, got " + id.getAsInt());
            }
        } catch (final IllegalArgumentException expected) {
            if (expected.getMessage() == null || !expected.getMessage().contains("BTF")) {
                throw new IllegalStateException("refusal without a BTF message", expected);
            }
        }
    }
}
