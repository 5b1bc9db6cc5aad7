package io.ringcap.linux;

/**
 * The default advice for a failed call: which capability, limit or kernel feature is usually
 * behind a given errno for a given call. Callers with more context pass their own hint to
 * {@link LinuxException#of(String, int, String)}.
 */
final class FailureHints {
    private static final String ROOT_OR = "run as root or grant ";

    private FailureHints() {
    }

    /** The hint for {@code call} (its text up to '(' names the function) failing with {@code errno}. */
    static String forCall(String call, int errno) {
        int parenthesis = call.indexOf('(');
        String function = parenthesis < 0 ? call : call.substring(0, parenthesis);
        return switch (errno) {
            case Errno.EPERM, Errno.EACCES -> permission(function, call);
            case Errno.ENOMEM -> memory(function, call);
            case Errno.ENODEV -> "no such network interface (or it cannot do this): list them with `ip link`";
            case Errno.EAFNOSUPPORT -> "this kernel lacks the address family: AF_XDP needs CONFIG_XDP_SOCKETS "
                + "(Linux 4.18+), AF_PACKET needs the af_packet module (`modprobe af_packet`)";
            case Errno.EOPNOTSUPP, Errno.ENOTSUPP -> call.contains("HWTSTAMP")
                ? "the driver has no hardware timestamping: use kernel software timestamps"
                : "the kernel or driver does not support this; check the kernel version and driver";
            case Errno.EBUSY -> call.contains("XDP") || function.equals("bpf")
                ? "another XDP program or socket already uses this interface or queue"
                : "another process or socket is using this resource";
            case Errno.EINVAL -> function.equals("sched_setaffinity")
                ? "the CPU is offline or outside this process's cpuset: check `taskset -cp $$` and isolcpus"
                : "an argument is not valid for this kernel: check the values and the kernel version";
            case Errno.EBADF -> "the file descriptor is not open (already closed?)";
            case Errno.EADDRINUSE -> "another socket is bound there: choose another port or set SO_REUSEADDR";
            case Errno.ENOBUFS -> "the kernel ran out of buffer space: raise net.core.rmem_max/wmem_max or retry";
            case Errno.EAGAIN -> "nothing is ready yet on a non-blocking call: retry";
            case Errno.EINTR -> "interrupted by a signal: retry";
            case Errno.ENOENT -> function.equals("bpf")
                ? "no such map entry or pinned object (is bpffs mounted at /sys/fs/bpf?)"
                : "no such file or entry";
            case Errno.EEXIST -> "it already exists: remove it first or choose another name";
            case Errno.ENOSPC -> function.equals("bpf")
                ? "the map is full: raise its max_entries"
                : "no space left";
            case Errno.EMFILE, Errno.ENFILE -> "too many open files: raise `ulimit -n`";
            case Errno.ENOPROTOOPT -> "this kernel does not know the option: it needs a newer kernel";
            case Errno.ESRCH -> "no such process or thread";
            default -> "";
        };
    }

    private static String permission(String function, String call) {
        return switch (function) {
            case "socket" -> ROOT_OR + "CAP_NET_RAW";
            case "setsockopt" -> call.contains("SOL_XDP") ? ROOT_OR + "CAP_NET_RAW,CAP_NET_ADMIN,CAP_BPF"
                : call.contains("SOL_PACKET") ? ROOT_OR + "CAP_NET_RAW"
                : ROOT_OR + "CAP_NET_ADMIN";
            case "bind" -> call.contains("AF_XDP") || call.contains("AF_PACKET")
                ? ROOT_OR + "CAP_NET_RAW,CAP_NET_ADMIN"
                : ROOT_OR + "CAP_NET_BIND_SERVICE for ports below 1024";
            case "ioctl" -> ROOT_OR + "CAP_NET_ADMIN";
            case "bpf" -> ROOT_OR + "CAP_BPF (plus CAP_NET_ADMIN for XDP), "
                + "or check sysctl kernel.unprivileged_bpf_disabled";
            case "mlock", "mlockall", "mmap" -> ROOT_OR + "CAP_IPC_LOCK, or raise RLIMIT_MEMLOCK (`ulimit -l`)";
            case "setns" -> ROOT_OR + "CAP_SYS_ADMIN";
            case "setuid" -> ROOT_OR + "CAP_SETUID";
            case "setgid", "setgroups" -> ROOT_OR + "CAP_SETGID";
            case "capset" -> "only capabilities in the permitted set can be raised; "
                + "CAP_SETPCAP is needed to change the bounding set";
            case "sched_setaffinity" -> ROOT_OR + "CAP_SYS_NICE";
            case "adjtimex" -> ROOT_OR + "CAP_SYS_TIME to change the clock; reading needs nothing";
            case "kill" -> "the process exists but belongs to another user";
            case "open" -> "check the file's owner and mode";
            default -> "run as root or grant the capability this call needs";
        };
    }

    private static String memory(String function, String call) {
        if (call.contains("MAP_HUGETLB")) {
            return "no free hugepages: reserve some with `sysctl vm.nr_hugepages=N` or use a smaller size";
        }
        return switch (function) {
            case "mlock", "mlockall" -> "raise RLIMIT_MEMLOCK (`ulimit -l`, or LimitMEMLOCK= in the systemd unit) "
                + "or grant CAP_IPC_LOCK";
            case "bpf", "setsockopt" -> "raise RLIMIT_MEMLOCK (`ulimit -l unlimited`): "
                + "UMEM and, before Linux 5.11, BPF maps are charged to it";
            default -> "not enough memory: free some or ask for less";
        };
    }
}
