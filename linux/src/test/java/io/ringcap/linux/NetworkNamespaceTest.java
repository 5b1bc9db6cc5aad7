package io.ringcap.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class NetworkNamespaceTest {
    @Test
    void missingNamespaceFileIsEnoentWithWhereToLook() {
        LinuxException e = catchThrowableOfType(LinuxException.class,
            () -> NetworkNamespace.enterNamed("ringcap-no-such-namespace"));
        assertThat(e.errno()).isEqualTo(Errno.ENOENT);
        assertThat(e.hint()).contains("/var/run/netns");
    }

    @Test
    void enteringMovesOnlyTheCallingThreadAndItsNewSockets() throws Exception {
        Process holder = namespaceHolder();
        try {
            Path namespace = Path.of("/proc/" + holder.pid() + "/ns/net");
            String outside = NetworkNamespace.ofCurrentThread();
            String inside = Files.readSymbolicLink(namespace).toString();
            assertThat(inside).isNotEqualTo(outside);

            String[] seen = onOwnThread(() -> {
                NetworkNamespace.enter(namespace);
                int loopbackFlags = NetworkInterfaces.flags("lo");
                return new String[] {NetworkNamespace.ofCurrentThread(), String.valueOf(loopbackFlags)};
            });

            assertThat(seen[0]).isEqualTo(inside);
            assertThat(Integer.parseInt(seen[1]) & InterfaceLayouts.IFF_UP).as("lo of a fresh namespace is down").isZero();
            assertThat(NetworkNamespace.ofCurrentThread()).isEqualTo(outside);
        } finally {
            holder.destroy();
            holder.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void receiveQueuesAreCountedInTheCallingThreadsNamespace() throws Exception {
        Process holder = namespaceHolder();
        try {
            Path namespace = Path.of("/proc/" + holder.pid() + "/ns/net");
            // Both ends inside the private namespace: they go with it.
            assumeTrue(Files.isExecutable(Path.of("/usr/bin/nsenter")), "needs nsenter(1) from util-linux");
            Process add = new ProcessBuilder("/usr/bin/nsenter", "--target", String.valueOf(holder.pid()), "--net",
                "ip", "link", "add", "rq-a", "numrxqueues", "3", "type", "veth", "peer", "name", "rq-b")
                .redirectErrorStream(true).start();
            assertThat(add.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(add.exitValue()).as(new String(add.getInputStream().readAllBytes())).isZero();
            int[] counted = onOwnThread(() -> {
                NetworkNamespace.enter(namespace);
                LinuxException noChannels = catchThrowableOfType(LinuxException.class,
                    () -> NetworkInterfaces.receiveQueueCount("lo"));
                return new int[] {NetworkInterfaces.receiveQueueCount("rq-a"), noChannels.errno()};
            });
            assertThat(counted[0]).isEqualTo(3);
            assertThat(counted[1]).as("loopback reports no channels").isEqualTo(Errno.EOPNOTSUPP);
        } finally {
            holder.destroy();
            holder.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void xdpProgramLinksToLoopbackOfAPrivateNamespace() throws Exception {
        Process holder = namespaceHolder();
        try {
            Path namespace = Path.of("/proc/" + holder.pid() + "/ns/net");
            int link = onOwnThread(() -> {
                NetworkNamespace.enter(namespace);
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment insns = arena.allocate(BpfLayouts.BPF_INSN, 2);
                    BpfLayouts.writeInsn(insns, 0, 0xb7, 0, 0, 0, BpfLayouts.XDP_PASS);
                    BpfLayouts.writeInsn(insns, 1, 0x95, 0, 0, 0, 0);
                    int program = Bpf.loadProgram(
                        BpfLayouts.BPF_PROG_TYPE_XDP, insns, "GPL", "ringcap_pass", BpfLayouts.BPF_XDP);
                    try {
                        return Bpf.createLink(program, NetworkInterfaces.indexOf("lo"), BpfLayouts.BPF_XDP,
                            BpfLayouts.XDP_FLAGS_SKB_MODE);
                    } finally {
                        Sockets.close(program);
                    }
                }
            });
            assertThat(link).isPositive();
            Sockets.close(link);
        } finally {
            holder.destroy();
            holder.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** A process sitting in a new, empty network namespace, so that nothing shared is touched. */
    private static Process namespaceHolder() throws Exception {
        assumeTrue(Capabilities.ofCurrentThread().hasEffective(CapabilityLayouts.CAP_SYS_ADMIN),
            "needs root: setns and unshare need CAP_SYS_ADMIN");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")), "needs unshare(1) from util-linux");
        Process holder = new ProcessBuilder("/usr/bin/unshare", "--net", "sleep", "60").start();
        Path link = Path.of("/proc/" + holder.pid() + "/ns/net");
        String own = NetworkNamespace.ofCurrentThread();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (Files.readSymbolicLink(link).toString().equals(own)) {
            assertThat(System.nanoTime()).as("unshare --net took effect").isLessThan(deadline);
            Thread.sleep(10);
        }
        return holder;
    }

    /** Runs on a thread of its own, which is left in whatever namespace the work moved it to and then ends. */
    private static <T> T onOwnThread(Callable<T> work) throws Exception {
        FutureTask<T> task = new FutureTask<>(work);
        Thread.ofPlatform().start(task).join();
        return task.get();
    }
}
