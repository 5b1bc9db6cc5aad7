package io.ringcap.traffic;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.ringcap.linux.CallState;
import io.ringcap.linux.NetworkNamespace;
import io.ringcap.linux.SocketLayouts;
import io.ringcap.linux.Sockets;
import io.ringcap.linux.Syscalls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TestNetworkTest {
    private static final int GROUP = SocketLayouts.ipv4("239.1.1.1");
    private static final int PORT = 5000;

    @BeforeAll
    static void needsRoot() {
        assumeTrue(TestNetwork.whyUnavailable().isEmpty(), () -> TestNetwork.whyUnavailable().orElseThrow());
    }

    @Test
    void namespacesAndVethAppearAndVanish() throws Exception {
        String hostNamespace = NetworkNamespace.ofCurrentThread();
        String sender;
        String receiver;
        try (TestNetwork network = TestNetwork.create()) {
            sender = network.sender().namespace();
            receiver = network.receiver().namespace();
            assertThat(sender).startsWith("ringcap-tx-").endsWith(network.id());
            assertThat(receiver).startsWith("ringcap-rx-").endsWith(network.id());
            assertThat(namedNamespace(sender)).exists();
            assertThat(namedNamespace(receiver)).exists();

            String senderLinks = ip(network.sender(), "link", "show", "veth-tx");
            assertThat(senderLinks).contains("veth-tx").contains("UP");
            assertThat(ip(network.receiver(), "-4", "address", "show", "veth-rx")).contains("10.213.0.2/30");
            assertThat(ip(network.sender(), "route", "show", "224.0.0.0/4")).contains("dev veth-tx");
            assertThat(ip(network.receiver(), "-6", "address", "show", "veth-rx")).as("no IPv6 chatter").isBlank();
            assertThat(network.receiver().interfaceIndex()).isPositive();
            assertThat(network.receiver().call(NetworkNamespace::ofCurrentThread))
                .isNotEqualTo(hostNamespace)
                .isNotEqualTo(network.sender().call(NetworkNamespace::ofCurrentThread));
            assertThat(NetworkNamespace.ofCurrentThread()).as("the caller stays where it was").isEqualTo(hostNamespace);
            assertThat(Files.exists(Path.of("/sys/class/net/veth-tx"))).as("veth not in the host namespace").isFalse();
        }
        assertThat(namedNamespace(sender)).doesNotExist();
        assertThat(namedNamespace(receiver)).doesNotExist();
    }

    @Test
    void multicastSentInSenderArrivesAtJoinedSocketInReceiver() {
        try (TestNetwork network = TestNetwork.create()) {
            NamespaceHost receiver = network.receiver();
            GroupReceiver socket = receiver.call(() -> new GroupReceiver(GROUP, PORT, receiver.interfaceIndex()));
            try {
                network.sender().run(() -> sendOne(network.sender().interfaceIndex(), 42));
                receiver.run(() -> socket.receive(1, 2_000));
                assertThat(socket.packets()).isEqualTo(1);
                assertThat(socket.sequences().stream()).containsExactly(42);
            } finally {
                receiver.run(socket::close);
            }
        }
    }

    @Test
    void namespacesAreDeletedWhenTheTestFails() {
        String[] names = new String[2];
        assertThatThrownBy(() -> {
            try (TestNetwork network = TestNetwork.create()) {
                names[0] = network.sender().namespace();
                names[1] = network.receiver().namespace();
                network.receiver().run(() -> {
                    throw new IllegalStateException("test failed inside the namespace");
                });
            }
        }).isInstanceOf(IllegalStateException.class).hasMessage("test failed inside the namespace");
        assertThat(namedNamespace(names[0])).doesNotExist();
        assertThat(namedNamespace(names[1])).doesNotExist();
    }

    @Test
    void processesRunInsideTheNamespace() throws Exception {
        try (TestNetwork network = TestNetwork.create()) {
            Process process = network.receiver().processBuilder("cat", "/proc/net/dev").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor()).isZero();
            assertThat(output).contains("veth-rx").doesNotContain("veth-tx");
        }
    }

    private static void sendOne(int interfaceIndex, long sequence) {
        int fd = Sockets.open(SocketLayouts.AF_INET, SocketLayouts.SOCK_DGRAM | SocketLayouts.SOCK_CLOEXEC, 0);
        try (Arena arena = Arena.ofConfined()) {
            Sockets.setMulticastInterface(fd, interfaceIndex);
            Sockets.setOption(fd, SocketLayouts.IPPROTO_IP, SocketLayouts.IP_MULTICAST_TTL, 1);
            MemorySegment payload = arena.allocate(MoldHeader.LENGTH);
            MoldHeader.writeSession(payload, 0, MoldHeader.sessionBytes("TEST"));
            MoldHeader.writeSequence(payload, 0, sequence);
            MemorySegment address = arena.allocate(SocketLayouts.SOCKADDR_IN);
            SocketLayouts.writeSockaddrIn(address, GROUP, PORT);
            CallState state = CallState.ofCurrentThread();
            state.check(Syscalls.sendto(state, fd, payload, payload.byteSize(), 0, address), "sendto");
        } finally {
            Sockets.close(fd);
        }
    }

    private static String ip(NamespaceHost host, String... arguments) throws Exception {
        String[] command = new String[arguments.length + 1];
        command[0] = "ip";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        Process process = host.processBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
        return output;
    }

    private static Path namedNamespace(String name) {
        return Path.of("/var/run/netns", name);
    }
}
