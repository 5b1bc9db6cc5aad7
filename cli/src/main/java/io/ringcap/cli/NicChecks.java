package io.ringcap.cli;

import io.ringcap.linux.NicTimestampingInfo;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The checks of {@code ringcap doctor --iface IF} on one NIC, as functions of what the host reports (text
 * from /proc and /sys, ethtool answers), testable with sample input. Malformed input gives a warning.
 */
final class NicChecks {
    private NicChecks() {
    }

    /** Receive queues from the entry names of /sys/class/net/IF/queues (rx-0, tx-0, ...). */
    static DoctorCheck queues(String iface, List<String> entries) {
        long rx = entries.stream().filter(name -> name.matches("rx-\\d+")).count();
        if (rx == 0) {
            return DoctorCheck.warn("queues", "no rx-N entries in /sys/class/net/" + iface + "/queues",
                "check that " + iface + " is a real NIC");
        }
        if (rx == 1) {
            return DoctorCheck.warn("queues", "1 receive queue: one capture thread takes all of " + iface + "'s traffic",
                "for more than one capture thread, use a NIC with several queues ('ethtool -L " + iface + " combined N')");
        }
        return DoctorCheck.ok("queues", rx + " receive queues");
    }

    /**
     * Where the interface's interrupts go: IRQs named after it in /proc/interrupts plus its MSI IRQs, with
     * their smp_affinity_list; a warning when they land on isolated (capture) cores or none are found.
     */
    static DoctorCheck irqAffinity(String iface, String interrupts, List<Integer> msiIrqs, Map<Integer, String> affinity,
        String isolcpus) {
        TreeSet<Integer> irqs = new TreeSet<>(msiIrqs);
        if (interrupts != null) {
            for (String line : interrupts.split("\n")) {
                String[] fields = line.strip().split("\\s+");
                String last = fields[fields.length - 1];
                if (fields.length > 1 && fields[0].endsWith(":") && (last.equals(iface) || last.startsWith(iface + "-"))) {
                    try {
                        irqs.add(Integer.parseInt(fields[0].substring(0, fields[0].length() - 1)));
                    } catch (NumberFormatException e) {
                        // NMI:, LOC: and the like name no IRQ number: not the NIC's.
                    }
                }
            }
        }
        if (irqs.isEmpty()) {
            return DoctorCheck.warn("irq affinity", "no IRQs of " + iface + " in /proc/interrupts or its msi_irqs"
                + " (a virtual interface?)", "on a physical NIC, pin its IRQs away from the capture cores"
                + " (/proc/irq/N/smp_affinity_list) and stop irqbalance moving them");
        }
        BitSet isolated = cpuList(isolcpus == null ? "" : isolcpus);
        StringBuilder found = new StringBuilder();
        boolean onIsolated = false;
        for (int irq : irqs) {
            String cpus = affinity.getOrDefault(irq, "?").strip();
            found.append(found.isEmpty() ? "" : ", ").append("IRQ ").append(irq).append(" on CPUs ").append(cpus);
            onIsolated |= cpuList(cpus).intersects(isolated);
        }
        if (onIsolated) {
            return DoctorCheck.warn("irq affinity", found + ": some land on isolated cores (" + isolcpus + ")",
                "keep interrupts off the capture cores: write the other CPUs to /proc/irq/N/smp_affinity_list");
        }
        return DoctorCheck.ok("irq affinity", found.toString());
    }

    /** Parses a CPU list such as {@code 0-3,8,10-11}; an unparsable list is empty. */
    static BitSet cpuList(String list) {
        BitSet cpus = new BitSet();
        String text = list.strip();
        if (text.isEmpty()) {
            return cpus;
        }
        try {
            for (String range : text.split(",")) {
                String[] ends = range.split("-", 2);
                int first = Integer.parseInt(ends[0].strip());
                int last = ends.length == 2 ? Integer.parseInt(ends[1].strip()) : first;
                if (first < 0 || last < first || last > 65535) {
                    return new BitSet();
                }
                cpus.set(first, last + 1);
            }
        } catch (NumberFormatException e) {
            return new BitSet();
        }
        return cpus;
    }

    /** Timestamping capabilities from ETHTOOL_GET_TS_INFO, or why they could not be read. */
    static DoctorCheck timestamping(String iface, NicTimestampingInfo info, String error) {
        if (info == null) {
            return DoctorCheck.warn("timestamping", "ETHTOOL_GET_TS_INFO failed: " + error,
                "'ethtool -T " + iface + "' shows what the driver offers");
        }
        String phc = info.phcIndex() >= 0 ? ", PTP clock /dev/ptp" + info.phcIndex() : ", no PTP hardware clock";
        if (info.hardwareReceive() && info.stampsAllReceived()) {
            return DoctorCheck.ok("timestamping", "hardware receive timestamps for all packets" + phc);
        }
        if (info.hardwareReceive()) {
            return DoctorCheck.warn("timestamping", "hardware receive timestamps for some packets only (not"
                + " HWTSTAMP_FILTER_ALL)" + phc, "the others get kernel timestamps; a NIC that stamps all packets"
                + " gives nanosecond arrival times");
        }
        return DoctorCheck.warn("timestamping", "software timestamps only" + phc, "for hardware arrival times use a NIC"
            + " with receive timestamping (e.g. Intel i210/E810, Mellanox ConnectX) and --hw-timestamps");
    }

    /** The driver from ETHTOOL_GDRVINFO, else the name of /sys/class/net/IF/device/driver. */
    static DoctorCheck driver(String iface, String ethtoolDriver, String sysfsDriver) {
        String driver = ethtoolDriver != null && !ethtoolDriver.isBlank() ? ethtoolDriver : sysfsDriver;
        if (driver == null || driver.isBlank()) {
            return DoctorCheck.warn("driver", "unknown: ETHTOOL_GDRVINFO failed and /sys/class/net/" + iface
                + "/device/driver is absent (a virtual interface?)", "capture from the physical NIC");
        }
        return DoctorCheck.ok("driver", driver.strip());
    }
}
