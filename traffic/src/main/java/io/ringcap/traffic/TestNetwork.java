package io.ringcap.traffic;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import io.ringcap.linux.Capabilities;
import io.ringcap.linux.CapabilityLayouts;
import io.ringcap.linux.CapabilitySets;
import io.ringcap.linux.NetworkInterfaces;

/**
 * Two hosts in network namespaces of their own, a sender and a receiver, joined by a veth pair:
 * a private wire for multicast tests and {@code ringcap demo}.
 * <pre>
 *   ringcap-tx-XXXXXX                      ringcap-rx-XXXXXX
 *   lo up                                  lo up
 *   veth-tx 10.213.0.1/30  ◄── veth ──►    veth-rx 10.213.0.2/30
 *   route 224.0.0.0/4 dev veth-tx
 * </pre>
 * The namespaces get unique names ({@code ringcap-} prefix, random suffix), so several networks
 * can exist at once. The addresses exist only inside the namespaces and no route leads out of
 * them: nothing sent here reaches the host's own interfaces. IPv6 is disabled on both veth ends
 * (no duplicate-address detection, router solicitations or MLD reports), so that a capture on the
 * receiver sees only what tests send, plus the IGMP reports of its own joins going out.
 * {@code net.core.rmem_max} and {@code wmem_max} stay the host's: child namespaces can read but
 * not write them (Linux 6.18), and changing the host's is not a test's business; sockets that need
 * larger buffers ask with SO_RCVBUFFORCE/SO_SNDBUFFORCE, which root may.
 * <p>
 * {@link #close()} deletes both namespaces, which deletes the veth pair with them; a JVM shutdown
 * hook does the same if {@code close} was never called. Creating a network needs root
 * (CAP_NET_ADMIN and CAP_SYS_ADMIN) and iproute2's {@code ip}; {@link #whyUnavailable()} says
 * which is missing, for tests that skip.
 */
public final class TestNetwork implements AutoCloseable {
    /** The prefix of every namespace a test network creates. */
    public static final String NAMESPACE_PREFIX = "ringcap-";
    /** The sender's end of the veth pair. */
    public static final String SENDER_INTERFACE = "veth-tx";
    /** The receiver's end of the veth pair. */
    public static final String RECEIVER_INTERFACE = "veth-rx";

    private static final String SENDER_ADDRESS = "10.213.0.1";
    private static final String RECEIVER_ADDRESS = "10.213.0.2";
    private static final int PREFIX_LENGTH = 30;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int ATTEMPTS = 5;

    private final String id;
    private final IpCommand ip;
    private final NamespaceHost sender;
    private final NamespaceHost receiver;
    private final int queues;
    private final Thread shutdownHook;
    private boolean closed;

    private TestNetwork(String id, IpCommand ip, int queues) {
        this.id = id;
        this.ip = ip;
        this.queues = queues;
        this.sender = new NamespaceHost(NAMESPACE_PREFIX + "tx-" + id, SENDER_INTERFACE,
            ipv4(SENDER_ADDRESS), PREFIX_LENGTH, ip);
        this.receiver = new NamespaceHost(NAMESPACE_PREFIX + "rx-" + id, RECEIVER_INTERFACE,
            ipv4(RECEIVER_ADDRESS), PREFIX_LENGTH, ip);
        this.shutdownHook = Thread.ofPlatform().name("ringcap-test-network-" + id).unstarted(this::deleteNamespaces);
    }

    /**
     * Creates a new test network, ready to use. If any step fails, what was already created is
     * deleted again and a {@link TrafficException} says what failed and what to do.
     */
    public static TestNetwork create() {
        return create(1);
    }

    /**
     * Creates a test network whose veth ends have {@code queues} receive and transmit queues each. The sender's
     * transmit queue {@code i} is the one for CPU {@code i} (XPS), and veth delivers on the receive queue of the
     * same number: a sender pinned to CPU {@code i} lands its packets on the receiver's queue {@code i}.
     *
     * @throws IllegalArgumentException if {@code queues} is not 1..64
     */
    public static TestNetwork create(int queues) {
        if (queues < 1 || queues > 64) {
            throw new IllegalArgumentException("a test network has 1 to 64 queues, not " + queues);
        }
        whyUnavailable().ifPresent(reason -> {
            throw new TrafficException(reason);
        });
        IpCommand ip = IpCommand.require();
        for (int attempt = 1; ; attempt++) {
            TestNetwork network = new TestNetwork(HexFormat.of().toHexDigits(RANDOM.nextInt(1 << 24), 6), ip, queues);
            if (network.namespacesExist()) {
                if (attempt < ATTEMPTS) {
                    continue;
                }
                throw new TrafficException("no free namespace name after " + ATTEMPTS + " tries: remove stale ones with "
                    + "`ip netns list | grep " + NAMESPACE_PREFIX + "` and `ip netns del NAME`");
            }
            Runtime.getRuntime().addShutdownHook(network.shutdownHook);
            try {
                network.setUp();
                return network;
            } catch (RuntimeException | Error e) {
                try {
                    network.close();
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
        }
    }

    /**
     * Why this process cannot create a test network (not root, no {@code ip}), or empty if it can;
     * e.g. {@code assumeTrue(TestNetwork.whyUnavailable().isEmpty(), ...)} in tests.
     */
    public static Optional<String> whyUnavailable() {
        CapabilitySets capabilities = Capabilities.ofCurrentThread();
        if (!capabilities.hasEffective(CapabilityLayouts.CAP_NET_ADMIN)
            || !capabilities.hasEffective(CapabilityLayouts.CAP_SYS_ADMIN)) {
            return Optional.of(IpCommand.NOT_PERMITTED);
        }
        if (IpCommand.find().isEmpty()) {
            return Optional.of(IpCommand.MISSING);
        }
        return Optional.empty();
    }

    /** The random suffix both namespace names share, e.g. {@code 3fa9c1}. */
    public String id() {
        return id;
    }

    /** The host that sends: namespace {@code ringcap-tx-<id>}, {@code veth-tx}, 10.213.0.1, multicast routed out of the veth. */
    public NamespaceHost sender() {
        return sender;
    }

    /** The host that receives and captures: namespace {@code ringcap-rx-<id>}, {@code veth-rx}, 10.213.0.2. */
    public NamespaceHost receiver() {
        return receiver;
    }

    /**
     * Deletes both namespaces and with them the veth pair. Stop threads made with
     * {@link NamespaceHost#newThread} and close sockets opened in the namespaces first: while
     * anything still refers to a namespace, the kernel keeps it (and its veth) after the name is gone.
     * Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException alreadyShuttingDownOrNeverAdded) {
            // The hook is running or was never registered; deleting twice is harmless.
        }
        deleteNamespaces();
    }

    @Override
    public String toString() {
        return "test network " + id + ": " + sender + " <-> " + receiver;
    }

    private void setUp() {
        ip.run("netns", "add", sender.namespace());
        ip.run("netns", "add", receiver.namespace());
        // Created directly in the namespaces, the veth ends never appear among the host's interfaces.
        String count = String.valueOf(queues);
        ip.run("link", "add", SENDER_INTERFACE, "netns", sender.namespace(), "numtxqueues", count, "numrxqueues", count,
            "type", "veth", "peer", "name", RECEIVER_INTERFACE, "netns", receiver.namespace(), "numtxqueues", count,
            "numrxqueues", count);
        for (NamespaceHost host : List.of(sender, receiver)) {
            // Before the link comes up: IPv6 would start duplicate-address detection at once.
            host.run(() -> disableIpv6(host.interfaceName()));
            ip.run("-n", host.namespace(), "address", "add",
                host.address().getHostAddress() + "/" + PREFIX_LENGTH, "dev", host.interfaceName());
            ip.run("-n", host.namespace(), "link", "set", "lo", "up");
            ip.run("-n", host.namespace(), "link", "set", host.interfaceName(), "up");
            host.interfaceIndex(host.call(() -> NetworkInterfaces.indexOf(host.interfaceName())));
        }
        ip.run("-n", sender.namespace(), "route", "add", "224.0.0.0/4", "dev", SENDER_INTERFACE);
        if (queues > 1) {
            // /sys/class/net shows the namespace sysfs was mounted in: ip netns exec mounts the sender's.
            StringBuilder xps = new StringBuilder();
            for (int queue = 0; queue < queues; queue++) {
                xps.append("echo ").append(Long.toHexString(1L << queue)).append(" > /sys/class/net/")
                    .append(SENDER_INTERFACE).append("/queues/tx-").append(queue).append("/xps_cpus; ");
            }
            ip.run("netns", "exec", sender.namespace(), "sh", "-c", xps.toString());
        }
    }

    /**
     * Runs on a thread inside the namespace: /proc/sys/net shows the settings of the namespace of
     * the thread that opens it. A kernel without IPv6 has no such file and nothing to disable.
     */
    private static void disableIpv6(String interfaceName) {
        Path setting = Path.of("/proc/sys/net/ipv6/conf", interfaceName, "disable_ipv6");
        if (!Files.exists(setting)) {
            return;
        }
        try {
            Files.writeString(setting, "1");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot disable IPv6 with " + setting, e);
        }
    }

    private boolean namespacesExist() {
        return Files.exists(Path.of("/var/run/netns", sender.namespace()))
            || Files.exists(Path.of("/var/run/netns", receiver.namespace()));
    }

    private void deleteNamespaces() {
        List<RuntimeException> failures = new ArrayList<>();
        for (NamespaceHost host : List.of(sender, receiver)) {
            host.stop();
            if (Files.exists(Path.of("/var/run/netns", host.namespace()))) {
                try {
                    ip.run("netns", "del", host.namespace());
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }
        }
        if (!failures.isEmpty()) {
            TrafficException failure = new TrafficException("could not delete all of " + this
                + ": remove what is left with `ip netns del NAME`");
            failures.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    private static Inet4Address ipv4(String dottedQuad) {
        try {
            return (Inet4Address) InetAddress.getByName(dottedQuad);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(dottedQuad, e);
        }
    }
}
