package io.ringcap.capture;

import io.ringcap.linux.NetworkNamespace;
import io.ringcap.traffic.TestNetwork;

import java.nio.file.Path;
import java.util.List;

/**
 * A capture process for {@link AfXdpCaptureTest}: enters the named network namespace, sets up the afxdp
 * source there with its filter pinned in the given directory, says "ready" and waits to be killed.
 *
 * <pre>java -cp … io.ringcap.capture.AfXdpCaptureChild NAMESPACE PIN_DIRECTORY</pre>
 */
public final class AfXdpCaptureChild {
    private AfXdpCaptureChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        NetworkNamespace.enterNamed(args[0]);
        AfXdpSource source = AfXdpSource.open(TestNetwork.RECEIVER_INTERFACE,
            List.of(MulticastGroup.parse("239.1.1.1:5000")), List.of(),
            AfXdpConfig.DEFAULT.withPinDirectory(Path.of(args[1])));
        System.out.println("ready " + source.description());
        System.out.flush();
        Thread.sleep(60_000);
    }
}
