package io.ringcap.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringcap.linux.CapabilityLayouts;
import io.ringcap.linux.CapabilitySets;
import io.ringcap.linux.ClockHealth;
import io.ringcap.linux.EthtoolLayouts;
import io.ringcap.linux.NicTimestampingInfo;
import io.ringcap.linux.TimeLayouts;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.ringcap.cli.DoctorCheck.Status.FAIL;
import static io.ringcap.cli.DoctorCheck.Status.OK;
import static io.ringcap.cli.DoctorCheck.Status.WARN;
import static org.assertj.core.api.Assertions.assertThat;

class DoctorCommandTest {
    private static final String TUNED_CMDLINE =
        "BOOT_IMAGE=/vmlinuz root=/dev/sda1 isolcpus=nohz,domain,2-3 nohz_full=2-3 rcu_nocbs=2-3 quiet\n";

    @Test
    void kernelCommandLineOfATunedHostIsOk() {
        assertThat(HostChecks.kernelCommandLine(TUNED_CMDLINE)).extracting(DoctorCheck::status).containsOnly(OK);
        assertThat(HostChecks.kernelCommandLine(TUNED_CMDLINE).getFirst().found()).isEqualTo("isolcpus=nohz,domain,2-3");
        assertThat(HostChecks.isolatedCpus(TUNED_CMDLINE)).isEqualTo("2-3");
    }

    @Test
    void kernelCommandLineWithoutIsolationWarnsWithTheFix() {
        List<DoctorCheck> checks = HostChecks.kernelCommandLine("root=/dev/vda quiet -- isolcpus=1 init args");
        assertThat(checks).extracting(DoctorCheck::status).containsOnly(WARN);
        assertThat(checks.getFirst().fix()).contains("isolcpus=2-3");
        assertThat(HostChecks.kernelCommandLine("isolcpus= nohz_full")).extracting(DoctorCheck::found).contains("not set");
        assertThat(HostChecks.kernelCommandLine(null)).singleElement().satisfies(c -> assertThat(c.status()).isEqualTo(WARN));
        assertThat(HostChecks.kernelCommandLine("")).hasSize(3);
    }

    @Test
    void governors() {
        assertThat(HostChecks.governors(Map.of("cpu0", "performance\n", "cpu1", "performance")).status()).isEqualTo(OK);
        DoctorCheck mixed = HostChecks.governors(Map.of("cpu0", "performance", "cpu1", "powersave", "cpu2", "powersave"));
        assertThat(mixed.status()).isEqualTo(WARN);
        assertThat(mixed.found()).isEqualTo("performance on 1 CPUs, powersave on 2 CPUs");
        assertThat(HostChecks.governors(Map.of()).found()).contains("no cpufreq").contains("virtual machine");
    }

    @Test
    void hugePagesAndHugetlbfs() {
        String reserved = "MemTotal: 1000 kB\nHugePages_Total:    1024\nHugePages_Free:      1000\nHugepagesize:    2048 kB\n";
        String mounts = "proc /proc proc rw 0 0\nhugetlbfs /dev/hugepages hugetlbfs rw,pagesize=2M 0 0\n";
        assertThat(HostChecks.hugePages(reserved, mounts)).extracting(DoctorCheck::status).containsExactly(OK, OK);
        assertThat(HostChecks.hugePages(reserved, mounts).getFirst().found()).isEqualTo("1024 reserved, 1000 free, 2 MiB each");
        assertThat(HostChecks.hugePages(reserved, mounts).get(1).found()).isEqualTo("mounted at /dev/hugepages");

        List<DoctorCheck> none = HostChecks.hugePages("HugePages_Total: 0\nHugePages_Free: 0\n", "proc /proc proc rw 0 0\n");
        assertThat(none).extracting(DoctorCheck::status).containsExactly(WARN, WARN);
        assertThat(none.getFirst().fix()).contains("vm.nr_hugepages");
        assertThat(HostChecks.hugePages("HugePages_Total: lots\n", null)).extracting(DoctorCheck::found)
            .containsExactly("cannot read HugePages_Total/HugePages_Free in /proc/meminfo", "cannot read /proc/mounts");
        assertThat(HostChecks.hugePages(null, "garbage\n\n")).extracting(DoctorCheck::status).containsExactly(WARN, WARN);
    }

    @Test
    void memlock() {
        String limits = "Limit                     Soft Limit           Hard Limit           Units\n"
            + "Max locked memory         %s              %s              bytes\n";
        assertThat(HostChecks.memlock(limits.formatted("8388608", "8388608"), false).status()).isEqualTo(WARN);
        assertThat(HostChecks.memlock(limits.formatted("8388608", "8388608"), false).found()).startsWith("8 MiB: too little");
        assertThat(HostChecks.memlock(limits.formatted("8388608", "8388608"), true).status()).isEqualTo(OK);
        assertThat(HostChecks.memlock(limits.formatted("unlimited", "unlimited"), false).found()).isEqualTo("unlimited");
        assertThat(HostChecks.memlock(limits.formatted("x", "y"), false).found()).startsWith("cannot read");
        assertThat(HostChecks.memlock(null, false).status()).isEqualTo(WARN);
        assertThat(HostChecks.memlock("Max locked memory\n", false).status()).isEqualTo(WARN);
    }

    @Test
    void capabilities() {
        long all = 1L << CapabilityLayouts.CAP_NET_RAW | 1L << CapabilityLayouts.CAP_NET_ADMIN | 1L << CapabilityLayouts.CAP_BPF
            | 1L << CapabilityLayouts.CAP_SYS_ADMIN | 1L << CapabilityLayouts.CAP_IPC_LOCK;
        assertThat(HostChecks.capabilities(new CapabilitySets(all, all, 0)).status()).isEqualTo(OK);
        DoctorCheck none = HostChecks.capabilities(new CapabilitySets(0, 0, 0));
        assertThat(none.status()).isEqualTo(WARN);
        assertThat(none.found()).contains("CAP_NET_RAW (afpacket, afxdp)").contains("the udp source needs none");
    }

    @Test
    void clock() {
        ClockHealth synced = new ClockHealth(TimeLayouts.TIME_OK, 0, 1200, 0, 15, 1, 37);
        ClockHealth unsynced = new ClockHealth(TimeLayouts.TIME_ERROR, TimeLayouts.STA_UNSYNC, 0, 0, 16_000_000, 0, 0);

        assertThat(HostChecks.clock(synced, List.of("/dev/ptp0"), List.of("bash", "ptp4l\n", "phc2sys")))
            .extracting(DoctorCheck::status).containsOnly(OK);
        assertThat(HostChecks.clock(synced, List.of(), List.of("chronyd")).get(3).found()).isEqualTo("chronyd running");
        List<DoctorCheck> bad = HostChecks.clock(unsynced, List.of(), List.of("bash"));
        assertThat(bad).extracting(DoctorCheck::check)
            .containsExactly("clock sync", "tai offset", "ptp clock", "time daemon");
        assertThat(bad).extracting(DoctorCheck::status).containsExactly(FAIL, WARN, WARN, WARN);
        assertThat(HostChecks.clock(null, List.of(), List.of()).getFirst().found()).isEqualTo("adjtimex failed");
    }

    @Test
    void nicQueuesDriverAndTimestamping() {
        assertThat(NicChecks.queues("eth0", List.of("rx-0", "rx-1", "tx-0", "tx-1")).found()).isEqualTo("2 receive queues");
        assertThat(NicChecks.queues("eth0", List.of("rx-0", "tx-0")).status()).isEqualTo(WARN);
        assertThat(NicChecks.queues("eth0", List.of()).status()).isEqualTo(WARN);
        assertThat(NicChecks.driver("eth0", "ixgbe", "ignored").found()).isEqualTo("ixgbe");
        assertThat(NicChecks.driver("eth0", null, "virtio_net").found()).isEqualTo("virtio_net");
        assertThat(NicChecks.driver("veth0", "", null).status()).isEqualTo(WARN);

        int hardware = EthtoolLayouts.SOF_TIMESTAMPING_RX_HARDWARE | EthtoolLayouts.SOF_TIMESTAMPING_RAW_HARDWARE;
        assertThat(NicChecks.timestamping("eth0", new NicTimestampingInfo(hardware, 0, 3, 1 << 1), null).found())
            .isEqualTo("hardware receive timestamps for all packets, PTP clock /dev/ptp0");
        assertThat(NicChecks.timestamping("eth0", new NicTimestampingInfo(hardware, 0, 3, 1 << 12), null).status())
            .isEqualTo(WARN);
        assertThat(NicChecks.timestamping("lo", new NicTimestampingInfo(EthtoolLayouts.SOF_TIMESTAMPING_RX_SOFTWARE, -1, 0, 0),
            null).found()).isEqualTo("software timestamps only, no PTP hardware clock");
        assertThat(NicChecks.timestamping("eth0", null, "EOPNOTSUPP").found()).contains("EOPNOTSUPP");
    }

    @Test
    void irqAffinity() {
        String interrupts = """
                       CPU0       CPU1       CPU2       CPU3
              0:         22          0          0          0   IO-APIC   2-edge      timer
             24:       1000          0          0          0   PCI-MSI 524288-edge      eth0-TxRx-0
             25:          0       1000          0          0   PCI-MSI 524289-edge      eth0-TxRx-1
             26:          0          0          0          0   PCI-MSI 524290-edge      eth0
             27:          0          0          0          0   PCI-MSI 524291-edge      eth10-TxRx-0
            NMI:          0          0          0          0   Non-maskable interrupts
            """;
        DoctorCheck away = NicChecks.irqAffinity("eth0", interrupts, List.of(), Map.of(24, "0", 25, "1", 26, "0-1\n"), "2-3");
        assertThat(away.status()).isEqualTo(OK);
        assertThat(away.found()).isEqualTo("IRQ 24 on CPUs 0, IRQ 25 on CPUs 1, IRQ 26 on CPUs 0-1");
        DoctorCheck onIsolated = NicChecks.irqAffinity("eth0", interrupts, List.of(30), Map.of(24, "0-3"), "2-3");
        assertThat(onIsolated.status()).isEqualTo(WARN);
        assertThat(onIsolated.found()).contains("IRQ 30 on CPUs ?").contains("isolated cores (2-3)");
        assertThat(NicChecks.irqAffinity("veth0", interrupts, List.of(), Map.of(), "").status()).isEqualTo(WARN);
        assertThat(NicChecks.irqAffinity("eth0", null, List.of(), Map.of(), null).found()).startsWith("no IRQs");
        assertThat(NicChecks.irqAffinity("eth0", "\n\n:\n", List.of(), Map.of(), "junk").status()).isEqualTo(WARN);
        assertThat(NicChecks.cpuList("0-3,8").cardinality()).isEqualTo(5);
        assertThat(NicChecks.cpuList("3-1").isEmpty()).isTrue();
        assertThat(NicChecks.cpuList("a").isEmpty()).isTrue();
    }

    @Test
    void runsOnThisHostWithOneLinePerCheckAndJson() throws Exception {
        CommandResult human = CommandResult.execute("doctor", "--iface", "lo");
        CommandResult json = CommandResult.execute("doctor", "--iface", "lo", "--json");
        System.out.println(human.out());

        assertThat(human.err()).isEmpty();
        assertThat(human.out().lines()).allMatch(line -> line.matches("(ok  |warn|fail) \\S.*"));
        assertThat(human.out()).contains("isolcpus").contains("memlock").contains("clock sync").contains("queues")
            .contains("timestamping").contains("xdp program").contains("af_xdp socket");
        JsonNode checks = new ObjectMapper().readTree(json.out());
        assertThat(checks.isArray()).isTrue();
        assertThat(checks.size()).isEqualTo(human.out().lines().count());
        boolean failed = false;
        for (JsonNode check : checks) {
            assertThat(check.fieldNames()).toIterable().containsExactly("check", "status", "found", "fix");
            failed |= check.get("status").asText().equals("fail");
        }
        assertThat(human.exitCode()).isEqualTo(failed ? 1 : 0);
        assertThat(json.exitCode()).isEqualTo(human.exitCode());
    }

    @Test
    void anUnknownInterfaceFailsAndBadOptionsAreUsageErrors() {
        CommandResult unknown = CommandResult.execute("doctor", "--iface", "nosuch0");
        CommandResult bad = CommandResult.execute("doctor", "--bogus");

        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.out()).containsPattern("fail interface +no interface 'nosuch0' in this network namespace");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).startsWith("ringcap: Unknown option: '--bogus'");
    }
}
