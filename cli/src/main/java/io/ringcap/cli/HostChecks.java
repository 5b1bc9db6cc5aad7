package io.ringcap.cli;

import io.ringcap.linux.CapabilityLayouts;
import io.ringcap.linux.CapabilitySets;
import io.ringcap.linux.ClockHealth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The host-wide checks of {@code ringcap doctor}, as functions of what the host's files say (text, or
 * {@code null} when a file could not be read), so that they are tested with sample text rather than
 * depending on the machine the tests run on. Malformed text gives a warning that says so, never an exception.
 */
final class HostChecks {
    /** A capture locks its ring and the kernel rings in memory: 1 GiB is the default ring. */
    static final long MEMLOCK_NEEDED = 1L << 30;
    private static final Set<String> TIME_DAEMONS = Set.of("ptp4l", "phc2sys", "chronyd", "ntpd", "systemd-timesyn",
        "timemaster", "ts2phc");

    private HostChecks() {
    }

    /** isolcpus, nohz_full and rcu_nocbs from /proc/cmdline. */
    static List<DoctorCheck> kernelCommandLine(String cmdline) {
        if (cmdline == null) {
            return List.of(DoctorCheck.warn("cmdline", "cannot read /proc/cmdline", "run doctor on the capture host"));
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String word : cmdline.strip().split("\\s+")) {
            if (word.equals("--")) {
                break; // what follows is for init, not the kernel
            }
            int equals = word.indexOf('=');
            parameters.put(equals < 0 ? word : word.substring(0, equals), equals < 0 ? "" : word.substring(equals + 1));
        }
        List<DoctorCheck> checks = new ArrayList<>();
        checks.add(parameter(parameters, "isolcpus", "keep the scheduler off the capture cores: add isolcpus=2-3"
            + " (the cores you give --cpu) to the kernel command line and reboot"));
        checks.add(parameter(parameters, "nohz_full", "stop the timer tick on the capture cores: add nohz_full=2-3"
            + " (the same cores as isolcpus) to the kernel command line and reboot"));
        checks.add(parameter(parameters, "rcu_nocbs", "move RCU callbacks off the capture cores: add rcu_nocbs=2-3"
            + " to the kernel command line and reboot"));
        return checks;
    }

    /** The CPU list of isolcpus, without its flags (isolcpus=nohz,domain,2-3 gives 2-3); empty if not set. */
    static String isolatedCpus(String cmdline) {
        if (cmdline == null) {
            return "";
        }
        for (String word : cmdline.strip().split("\\s+")) {
            if (word.startsWith("isolcpus=")) {
                return String.join(",", java.util.Arrays.stream(word.substring("isolcpus=".length()).split(","))
                    .filter(part -> part.matches("[0-9]+(-[0-9]+)?")).toList());
            }
        }
        return "";
    }

    private static DoctorCheck parameter(Map<String, String> parameters, String name, String fix) {
        String value = parameters.get(name);
        if (value == null || value.isEmpty()) {
            return DoctorCheck.warn(name, "not set", fix);
        }
        return DoctorCheck.ok(name, name + "=" + value);
    }

    /** CPU frequency governors by CPU name (cpu0 -> performance); empty when the host has no cpufreq. */
    static DoctorCheck governors(Map<String, String> governorByCpu) {
        if (governorByCpu.isEmpty()) {
            return DoctorCheck.warn("cpu governor", "no cpufreq in /sys/devices/system/cpu (a virtual machine, or no"
                + " frequency driver): frequency is the hypervisor's or the firmware's to set",
                "on bare metal, load the frequency driver and set the performance governor");
        }
        Map<String, Integer> counts = new TreeMap<>();
        governorByCpu.values().forEach(governor -> counts.merge(governor.strip(), 1, Integer::sum));
        String found = counts.entrySet().stream().map(e -> e.getKey() + " on " + e.getValue() + " CPUs")
            .reduce((a, b) -> a + ", " + b).orElse("");
        if (counts.keySet().equals(Set.of("performance"))) {
            return DoctorCheck.ok("cpu governor", found);
        }
        return DoctorCheck.warn("cpu governor", found, "a CPU that clocks down wakes slowly:"
            + " 'cpupower frequency-set -g performance' (or echo performance > .../cpufreq/scaling_governor)");
    }

    /** Huge pages reserved (/proc/meminfo) and a hugetlbfs mount (/proc/mounts) for rings. */
    static List<DoctorCheck> hugePages(String meminfo, String mounts) {
        List<DoctorCheck> checks = new ArrayList<>();
        long total = meminfoValue(meminfo, "HugePages_Total");
        long free = meminfoValue(meminfo, "HugePages_Free");
        long sizeKib = meminfoValue(meminfo, "Hugepagesize");
        String fix = "reserve huge pages for the ring: 'sysctl vm.nr_hugepages=1024' (2 GiB of 2 MiB pages;"
            + " add it to /etc/sysctl.d to keep it)";
        if (total < 0 || free < 0) {
            checks.add(DoctorCheck.warn("huge pages", "cannot read HugePages_Total/HugePages_Free in /proc/meminfo", fix));
        } else if (total == 0) {
            checks.add(DoctorCheck.warn("huge pages", "none reserved: rings go to /dev/shm, in 4 KiB pages (TLB misses)",
                fix));
        } else {
            checks.add(DoctorCheck.ok("huge pages", total + " reserved, " + free + " free"
                + (sizeKib > 0 ? ", " + sizeKib / 1024 + " MiB each" : "")));
        }
        List<String> hugetlbfs = new ArrayList<>();
        if (mounts != null) {
            for (String line : mounts.split("\n")) {
                String[] fields = line.strip().split("\\s+");
                if (fields.length >= 3 && fields[2].equals("hugetlbfs")) {
                    hugetlbfs.add(fields[1]);
                }
            }
        }
        if (mounts == null) {
            checks.add(DoctorCheck.warn("hugetlbfs", "cannot read /proc/mounts", "mount -t hugetlbfs none /dev/hugepages"));
        } else if (hugetlbfs.isEmpty()) {
            checks.add(DoctorCheck.warn("hugetlbfs", "not mounted", "mount -t hugetlbfs none /dev/hugepages, then put"
                + " rings there (--ring /dev/hugepages/eth0.ring)"));
        } else {
            checks.add(DoctorCheck.ok("hugetlbfs", "mounted at " + String.join(", ", hugetlbfs)));
        }
        return checks;
    }

    /** A value of /proc/meminfo (in its unit), or -1 if absent or malformed. */
    static long meminfoValue(String meminfo, String key) {
        if (meminfo == null) {
            return -1;
        }
        for (String line : meminfo.split("\n")) {
            if (line.startsWith(key + ":")) {
                String[] fields = line.substring(key.length() + 1).strip().split("\\s+");
                try {
                    return Long.parseLong(fields[0]);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /** The memlock limit from /proc/self/limits; CAP_IPC_LOCK lifts it. */
    static DoctorCheck memlock(String limits, boolean hasIpcLock) {
        String fix = "let the capture lock its ring: 'ulimit -l unlimited', LimitMEMLOCK=infinity in a systemd unit,"
            + " or grant CAP_IPC_LOCK";
        long soft = -2;
        if (limits != null) {
            for (String line : limits.split("\n")) {
                if (line.startsWith("Max locked memory")) {
                    String[] fields = line.substring("Max locked memory".length()).strip().split("\\s+");
                    soft = fields[0].equals("unlimited") ? Long.MAX_VALUE : parseOr(fields[0], -2);
                }
            }
        }
        if (soft == -2) {
            return DoctorCheck.warn("memlock", "cannot read 'Max locked memory' in /proc/self/limits", fix);
        }
        String found = soft == Long.MAX_VALUE ? "unlimited" : io.ringcap.ring.Sizes.format(soft);
        if (soft >= MEMLOCK_NEEDED) {
            return DoctorCheck.ok("memlock", found);
        }
        if (hasIpcLock) {
            return DoctorCheck.ok("memlock", found + ", but CAP_IPC_LOCK lifts the limit");
        }
        return DoctorCheck.warn("memlock", found + ": too little to lock a 1 GiB ring (pages may fault on the hot path)",
            fix);
    }

    private static long parseOr(String digits, long otherwise) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /** The capabilities the privileged sources need, held by this process now. */
    static DoctorCheck capabilities(CapabilitySets capabilities) {
        Map<String, Integer> needed = new LinkedHashMap<>();
        needed.put("CAP_NET_RAW (afpacket, afxdp)", CapabilityLayouts.CAP_NET_RAW);
        needed.put("CAP_NET_ADMIN (hardware timestamps, XDP attach)", CapabilityLayouts.CAP_NET_ADMIN);
        needed.put("CAP_BPF (afxdp's XDP program)", CapabilityLayouts.CAP_BPF);
        needed.put("CAP_SYS_ADMIN (bpf on kernels before 5.8)", CapabilityLayouts.CAP_SYS_ADMIN);
        needed.put("CAP_IPC_LOCK (locking the ring)", CapabilityLayouts.CAP_IPC_LOCK);
        List<String> missing = new ArrayList<>();
        needed.forEach((name, capability) -> {
            if (!capabilities.hasEffective(capability)) {
                missing.add(name);
            }
        });
        if (missing.isEmpty()) {
            return DoctorCheck.ok("capabilities", "all that the sources need: CAP_NET_RAW, CAP_NET_ADMIN, CAP_BPF,"
                + " CAP_SYS_ADMIN, CAP_IPC_LOCK");
        }
        return DoctorCheck.warn("capabilities", "missing " + String.join(", ", missing)
            + "; the udp source needs none", "run ringcap capture as root (with --user to drop privilege after set-up),"
            + " or 'setcap cap_net_raw,cap_net_admin,cap_bpf,cap_ipc_lock+ep' on the java binary");
    }

    /** Clock discipline (adjtimex), PTP hardware clocks and the time daemons running. */
    static List<DoctorCheck> clock(ClockHealth health, List<String> ptpDevices, List<String> processNames) {
        List<DoctorCheck> checks = new ArrayList<>();
        if (health == null) {
            checks.add(DoctorCheck.warn("clock sync", "adjtimex failed", "check the kernel's clock with 'timedatectl'"));
        } else if (health.synchronised()) {
            checks.add(DoctorCheck.ok("clock sync", health.summary()));
        } else {
            checks.add(DoctorCheck.fail("clock sync", health.summary() + " (STA_UNSYNC set)",
                "timestamps are not comparable with other hosts: run chronyd or ntpd, or ptp4l + phc2sys with a PTP"
                    + " grandmaster"));
        }
        if (health != null && health.taiOffsetSeconds() == 0) {
            checks.add(DoctorCheck.warn("tai offset", "TAI-UTC is 0: no daemon has set it, so TAI timestamps read as"
                + " UTC", "let ptp4l/phc2sys set it, or chronyd with 'leapsectz right/UTC'"));
        } else if (health != null) {
            checks.add(DoctorCheck.ok("tai offset", "TAI-UTC " + health.taiOffsetSeconds() + " s"));
        }
        checks.add(ptpDevices.isEmpty()
            ? DoctorCheck.warn("ptp clock", "no /dev/ptp*: no PTP hardware clock, NIC timestamps are not available",
                "for nanosecond timestamps use a NIC with a PTP hardware clock, synchronised by ptp4l")
            : DoctorCheck.ok("ptp clock", String.join(", ", ptpDevices)));
        List<String> daemons = processNames.stream().map(String::strip).filter(TIME_DAEMONS::contains).distinct()
            .sorted().toList();
        checks.add(daemons.isEmpty()
            ? DoctorCheck.warn("time daemon", "none of ptp4l, phc2sys, chronyd, ntpd, systemd-timesyncd runs",
                "run chronyd (or ptp4l + phc2sys for PTP) so the clock stays disciplined")
            : DoctorCheck.ok("time daemon", String.join(", ", daemons) + " running"));
        return checks;
    }
}
