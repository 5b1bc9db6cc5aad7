package io.ringcap.linux;

/** Process and thread identity, and whether another process is still alive. */
public final class Processes {
    private Processes() {
    }

    /** getpid(2). */
    public static int currentPid() {
        return Syscalls.getpid(CallState.ofCurrentThread());
    }

    /** gettid(2): the kernel's id of the calling thread, as in /proc/self/task/&lt;tid&gt;. */
    public static int currentThreadId() {
        return Syscalls.gettid(CallState.ofCurrentThread());
    }

    /**
     * Whether process {@code pid} exists (kill with signal 0): what a ring reader checks against
     * the writer pid in the ring header. A process of another user counts as alive. A reused pid
     * also counts: compare a start time as well where that matters.
     */
    public static boolean isAlive(int pid) {
        if (pid <= 0) {
            throw new IllegalArgumentException("a process id is positive, got " + pid);
        }
        CallState state = CallState.ofCurrentThread();
        if (Syscalls.kill(state, pid, 0) == 0) {
            return true;
        }
        return switch (state.errno()) {
            case Errno.ESRCH -> false;
            case Errno.EPERM -> true;
            default -> throw LinuxException.of("kill(" + pid + ", 0)", state.errno());
        };
    }
}
