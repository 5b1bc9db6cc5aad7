package io.ringcap.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ringcap.linux.Bpf;
import io.ringcap.linux.BpfLayouts;
import io.ringcap.linux.Capabilities;
import io.ringcap.linux.CapabilityLayouts;
import io.ringcap.linux.CapabilitySets;
import io.ringcap.linux.ClockHealth;
import io.ringcap.linux.LinuxException;
import io.ringcap.linux.NetworkInterfaces;
import io.ringcap.linux.NicTimestampingInfo;
import io.ringcap.linux.SocketLayouts;
import io.ringcap.linux.Sockets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code ringcap doctor [--iface IF]}: checks this host for low-latency capture, one line per check (ok, warn
 * or fail, what was found, the fix). Reading the host is done here; judging it is done by {@link HostChecks}
 * and {@link NicChecks}, which tests feed with sample text. Exits 1 if any check fails.
 */
@Command(name = "doctor", description = "Check this host for low-latency capture: kernel command line, CPU governor,"
    + " huge pages, memlock, capabilities, XDP, clock sync; with --iface the NIC's queues, IRQs, timestamping"
    + " and driver. Exits 1 if a check fails.")
final class DoctorCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Path SYS_CPU = Path.of("/sys/devices/system/cpu");

    @Spec
    CommandSpec spec;

    @Option(names = "--iface", paramLabel = "IF", description = "Also check this NIC: queues, IRQ affinity,"
        + " timestamping, driver.")
    String iface;

    @Option(names = "--json", description = "Print an array of {check, status, found, fix} instead of lines.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        List<DoctorCheck> checks = new ArrayList<>();
        String cmdline = read(Path.of("/proc/cmdline"));
        checks.addAll(HostChecks.kernelCommandLine(cmdline));
        checks.add(HostChecks.governors(governors()));
        checks.addAll(HostChecks.hugePages(read(Path.of("/proc/meminfo")), read(Path.of("/proc/mounts"))));
        CapabilitySets capabilities = Capabilities.ofCurrentThread();
        checks.add(HostChecks.memlock(read(Path.of("/proc/self/limits")),
            capabilities.hasEffective(CapabilityLayouts.CAP_IPC_LOCK)));
        checks.add(HostChecks.capabilities(capabilities));
        checks.add(xdpProgram(capabilities));
        checks.add(xdpSocket());
        checks.addAll(HostChecks.clock(clockHealth(), ptpDevices(), processNames()));
        if (iface != null) {
            checks.addAll(nic(iface, cmdline));
        }
        print(checks);
        return checks.stream().anyMatch(c -> c.status() == DoctorCheck.Status.FAIL) ? 1 : 0;
    }

    private void print(List<DoctorCheck> checks) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ArrayNode array = JSON.createArrayNode();
            for (DoctorCheck check : checks) {
                ObjectNode node = array.addObject();
                node.put("check", check.check());
                node.put("status", check.status().name().toLowerCase(Locale.ROOT));
                node.put("found", check.found());
                node.put("fix", check.fix());
            }
            out.println(JSON.writeValueAsString(array));
        } else {
            checks.forEach(check -> out.println(check.line()));
        }
        out.flush();
    }

    private static List<DoctorCheck> nic(String iface, String cmdline) {
        try {
            NetworkInterfaces.indexOf(iface);
        } catch (LinuxException e) {
            return List.of(DoctorCheck.fail("interface", "no interface '" + iface + "' in this network namespace",
                "list them with 'ip link'"));
        }
        Path sys = Path.of("/sys/class/net", iface);
        List<DoctorCheck> checks = new ArrayList<>();
        String ethtoolDriver;
        try {
            ethtoolDriver = NetworkInterfaces.driver(iface);
        } catch (LinuxException e) {
            ethtoolDriver = null;
        }
        Path driverLink = sys.resolve("device/driver");
        String sysfsDriver = Files.isSymbolicLink(driverLink) ? readLink(driverLink) : null;
        checks.add(NicChecks.driver(iface, ethtoolDriver, sysfsDriver));
        checks.add(NicChecks.queues(iface, names(sys.resolve("queues"))));
        List<Integer> msi = names(sys.resolve("device/msi_irqs")).stream().filter(n -> n.matches("\\d+"))
            .map(Integer::parseInt).toList();
        Map<Integer, String> affinity = new TreeMap<>();
        for (String irq : names(Path.of("/proc/irq"))) {
            if (irq.matches("\\d+")) {
                String cpus = read(Path.of("/proc/irq", irq, "smp_affinity_list"));
                if (cpus != null) {
                    affinity.put(Integer.parseInt(irq), cpus.strip());
                }
            }
        }
        checks.add(NicChecks.irqAffinity(iface, read(Path.of("/proc/interrupts")), msi, affinity, HostChecks.isolatedCpus(cmdline)));
        try {
            checks.add(NicChecks.timestamping(iface, NetworkInterfaces.timestampingInfo(iface), null));
        } catch (LinuxException e) {
            checks.add(NicChecks.timestamping(iface, (NicTimestampingInfo) null, e.getMessage()));
        }
        return checks;
    }

    /** Loads "return XDP_PASS" into the kernel and closes it: proves the verifier and XDP are there. */
    private static DoctorCheck xdpProgram(CapabilitySets capabilities) {
        if (!capabilities.hasEffective(CapabilityLayouts.CAP_BPF) && !capabilities.hasEffective(CapabilityLayouts.CAP_SYS_ADMIN)) {
            return DoctorCheck.warn("xdp program", "not tried: loading a BPF program needs CAP_BPF",
                "run doctor as root to test XDP support");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment program = arena.allocate(16, 8);
            program.set(ValueLayout.JAVA_LONG, 0, 0xb7L | (long) BpfLayouts.XDP_PASS << 32); // r0 = XDP_PASS
            program.set(ValueLayout.JAVA_LONG, 8, 0x95L); // exit
            int fd = Bpf.loadProgram(BpfLayouts.BPF_PROG_TYPE_XDP, program, "GPL", "ringcap_doctor", 0);
            Sockets.close(fd);
            return DoctorCheck.ok("xdp program", "a trivial XDP program loads");
        } catch (LinuxException e) {
            return DoctorCheck.fail("xdp program", "loading a trivial XDP program failed: " + e.getMessage(),
                "the afxdp source needs a kernel with CONFIG_BPF_SYSCALL and XDP; use --source afpacket meanwhile");
        }
    }

    private static DoctorCheck xdpSocket() {
        try {
            int fd = Sockets.open(SocketLayouts.AF_XDP, SocketLayouts.SOCK_RAW | SocketLayouts.SOCK_CLOEXEC, 0);
            Sockets.close(fd);
            return DoctorCheck.ok("af_xdp socket", "an AF_XDP socket opens");
        } catch (LinuxException e) {
            return e.errnoName().equals("EPERM") || e.errnoName().equals("EACCES")
                ? DoctorCheck.warn("af_xdp socket", "not allowed: " + e.getMessage(), "AF_XDP needs CAP_NET_RAW")
                : DoctorCheck.fail("af_xdp socket", "cannot open one: " + e.getMessage(),
                    "the afxdp source needs CONFIG_XDP_SOCKETS; use --source afpacket meanwhile");
        }
    }

    private static ClockHealth clockHealth() {
        try {
            return ClockHealth.read();
        } catch (LinuxException e) {
            return null;
        }
    }

    private static Map<String, String> governors() {
        Map<String, String> governors = new TreeMap<>();
        for (String cpu : names(SYS_CPU)) {
            if (cpu.matches("cpu\\d+")) {
                String governor = read(SYS_CPU.resolve(cpu).resolve("cpufreq/scaling_governor"));
                if (governor != null) {
                    governors.put(cpu, governor.strip());
                }
            }
        }
        return governors;
    }

    private static List<String> ptpDevices() {
        return names(Path.of("/dev")).stream().filter(n -> n.matches("ptp\\d+")).map(n -> "/dev/" + n).toList();
    }

    private static List<String> processNames() {
        List<String> names = new ArrayList<>();
        for (String pid : names(Path.of("/proc"))) {
            if (pid.matches("\\d+")) {
                String comm = read(Path.of("/proc", pid, "comm"));
                if (comm != null) {
                    names.add(comm.strip());
                }
            }
        }
        return names;
    }

    /** Entry names of a directory, sorted; empty if it is absent or unreadable. */
    private static List<String> names(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** A /proc or /sys file's text, or null if it cannot be read (absent, a process gone meanwhile). */
    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String readLink(Path link) {
        try {
            return Files.readSymbolicLink(link).getFileName().toString();
        } catch (IOException e) {
            return null;
        }
    }
}
