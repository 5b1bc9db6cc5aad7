package io.ringcap.capture;

import io.ringcap.linux.CpuAffinity;
import io.ringcap.traffic.GroupAddress;
import io.ringcap.traffic.TestNetwork;
import io.ringcap.traffic.TrafficGenerator;
import io.ringcap.traffic.TrafficPlan;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * strace attached to the capture thread alone ({@code strace -p TID}) for 10 s while traffic flows: with
 * the afpacket or afxdp source and busy-spinning, the thread must make no system call at all (afxdp on veth
 * runs in copy mode, where the kernel never asks for a wake-up).
 */
class CaptureThreadSyscallTest {
    private static final long TRACE_MILLIS = 10_000;
    private static final long RATE = 100_000;
    private static final int WINDOWS = 3;
    /**
     * Small enough that the ring wraps during the warm-up (every ~4.7 s here): the first padding record at
     * the end of the buffer is a branch the JIT has not seen, and its one deoptimization and recompilation
     * are again compile requests from the capture thread.
     */
    private static final long RING_SIZE = 64L << 20;

    @ParameterizedTest
    @ValueSource(strings = {"afpacket", "afxdp"})
    void captureThreadMakesNoSystemCallWhileTrafficFlows(String source) throws Exception {
        Optional<String> why = TestNetwork.whyUnavailable();
        assumeTrue(why.isEmpty(), () -> "needs root for network namespaces, AF_PACKET and XDP: " + why.orElse(""));
        Optional<Path> strace = findStrace();
        assumeTrue(strace.isPresent(), "needs strace (apt-get install strace)");
        GroupAddress group = GroupAddress.parse("239.1.1.1:5000");
        TrafficPlan plan = new TrafficPlan(TestNetwork.SENDER_INTERFACE, List.of(group), RATE, 64,
            TrafficPlan.NO_LIMIT, (TRACE_MILLIS * WINDOWS + 40_000) * 1_000_000L, 0, TrafficPlan.DEFAULT_SESSION);
        Path output = Files.createTempFile("ringcap-strace", ".txt");
        try (TestNetwork network = TestNetwork.create();
             NetworkCapture capture = NetworkCapture.start(network, RING_SIZE, () -> open(source),
                 new BusySpinIdleStrategy(), CaptureLoop.DEFAULT_POLL_LIMIT)) {
            AtomicReference<TrafficGenerator> generator = new AtomicReference<>();
            Thread sender = network.sender().newThread("ringcap-test-sender", () -> {
                try (TrafficGenerator traffic = TrafficGenerator.open(plan)) {
                    CpuAffinity.pinCurrentThread(NetworkCapture.SENDER_CPU);
                    generator.set(traffic);
                    traffic.run();
                }
            });
            sender.start();
            awaitSteadyState();
            List<String> calls = List.of();
            long during = 0;
            // A late JIT tier-up can still show as a futex wake in a window; a later window must then be clean.
            for (int window = 1; window <= WINDOWS; window++) {
                long before = capture.header().recordsWritten();
                calls = trace(strace.get(), capture.loop.captureThreadId(), output);
                during = capture.header().recordsWritten() - before;
                System.out.printf("%s: strace -p %d, window %d of %d ms: %d system calls while %d packets were"
                    + " captured; first: %s%n", source, capture.loop.captureThreadId(), window, TRACE_MILLIS, calls.size(),
                    during, calls.stream().limit(4).toList());
                assertThat(calls).as("only the JVM's own calls may show before a clean window: the JIT's compile"
                    + " requests (futex wakes) and a safepoint poll that traps (the SIGSEGV handler's rt_sigprocmask,"
                    + " gettid, rt_sigreturn, then a futex wait until the safepoint ends)")
                    .allMatch(CaptureThreadSyscallTest::isJvmOwn);
                if (calls.isEmpty()) {
                    break;
                }
            }
            while (generator.get() == null && sender.isAlive()) {
                Thread.sleep(1);
            }
            if (generator.get() != null) {
                generator.get().requestStop();
            }
            sender.join();

            assertThat(during).as("packets captured while traced").isGreaterThan(RATE * TRACE_MILLIS / 1000 / 2);
            assertThat(calls).as("system calls of the capture thread").isEmpty();
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /**
     * A call the JVM makes on the capture thread's behalf. A safepoint another thread asks for (a collection
     * of the test's own garbage, a deoptimization) traps the thread's next poll, and the thread then sleeps
     * on a futex until the safepoint ends: seen once in CI as rt_sigprocmask, rt_sigreturn, gettid and one
     * FUTEX_WAIT_PRIVATE.
     */
    private static boolean isJvmOwn(String call) {
        return call.startsWith("futex(") && (call.contains("FUTEX_WAKE") || call.contains("FUTEX_WAIT"))
            || call.startsWith("rt_sigprocmask(")
            || call.startsWith("rt_sigreturn(") || call.startsWith("gettid(");
    }

    private static PacketSource open(String source) {
        List<MulticastGroup> groups = List.of(MulticastGroup.parse("239.1.1.1:5000"));
        return switch (source) {
            case "afpacket" -> AfPacketSource.open(TestNetwork.RECEIVER_INTERFACE, groups, PacketRingGeometry.DEFAULT,
                HardwareTimestamping.OFF);
            case "afxdp" -> AfXdpCaptureTest.open(groups, AfXdpCaptureTest.config(XdpMode.AUTO));
            default -> throw new IllegalArgumentException(source);
        };
    }

    /**
     * The steady state: traffic has flowed for 8 s and then the JIT compiled nothing for 1 s (or 6 s more
     * have passed: other threads compile now and then too). Until the JIT has compiled the rarely called
     * parts of the loop (a block handed back, the heartbeat) to their final tier, the capture thread's
     * profiling code hands them to the compiler threads itself: a futex wake each (seen here as 4 pairs of
     * FUTEX_WAKE in the first ~4 s of traffic at 100k pps, and again when the ring first wraps).
     */
    private static void awaitSteadyState() throws InterruptedException {
        Thread.sleep(8_000);
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long deadline = System.nanoTime() + 6_000_000_000L;
        long compiling = jit.getTotalCompilationTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(1_000);
            long now = jit.getTotalCompilationTime();
            if (now == compiling) {
                return;
            }
            compiling = now;
        }
    }

    /** The system calls strace saw the thread {@code tid} make in {@link #TRACE_MILLIS}. */
    private static List<String> trace(Path strace, int tid, Path output) throws Exception {
        Process trace = new ProcessBuilder(strace.toString(), "-qq", "-o", output.toString(), "-p",
            Integer.toString(tid)).redirectErrorStream(true).start();
        Thread.sleep(TRACE_MILLIS);
        assertThat(trace.isAlive()).as("strace still attached after %d ms (it exits at once if it cannot attach)",
            TRACE_MILLIS).isTrue();
        trace.destroy(); // SIGTERM: strace detaches and flushes
        assertThat(trace.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return Files.readAllLines(output).stream()
            .filter(line -> !line.isBlank() && !line.startsWith("---") && !line.startsWith("+++")).toList();
    }

    private static Optional<Path> findStrace() {
        for (String directory : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
            Path candidate = Path.of(directory, "strace");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
