package io.ringcap.capture;

import io.ringcap.traffic.TestNetwork;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Optional;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The {@link TestNetwork} a test class sends across, as a static {@code @RegisterExtension} field: created before
 * the class's first test, or the class skipped with a one-line reason where this process cannot create one;
 * deleted after its last test.
 */
final class SharedTestNetwork implements BeforeAllCallback, AfterAllCallback {
    private final String needs;
    private final int queues;
    private TestNetwork network;

    /** @param needs what the tests need the network for, e.g. "needs root for network namespaces and AF_PACKET" */
    SharedTestNetwork(String needs) {
        this(needs, 1);
    }

    /** A network whose veth ends have {@code queues} queues each way ({@link TestNetwork#create(int)}). */
    SharedTestNetwork(String needs, int queues) {
        this.needs = needs;
        this.queues = queues;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Optional<String> why = TestNetwork.whyUnavailable();
        assumeTrue(why.isEmpty(), () -> needs + ": " + why.orElse(""));
        network = TestNetwork.create(queues);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (network != null) {
            network.close();
            network = null;
        }
    }

    /** The network, between the class's first and last test. */
    TestNetwork get() {
        return network;
    }
}
