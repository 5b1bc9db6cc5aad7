package io.ringcap.linux;

/**
 * A Linux call that failed, with what the user can do about it.
 * <p>
 * The message names the call with its salient arguments, the errno name and meaning, and a hint:
 * {@code setsockopt(SOL_XDP, XDP_UMEM_REG) failed: EPERM (Operation not permitted) — run as root
 * or grant CAP_NET_RAW,CAP_NET_ADMIN,CAP_BPF}. Callers that know their context pass their own
 * hint; otherwise a default for the call and errno is chosen. The only exception this module
 * throws for a failing system call or a failed check of the process's state.
 */
public final class LinuxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;
    private final String hint;

    /**
     * @param call  what was called, with its salient arguments, e.g. {@code "socket(AF_PACKET, SOCK_RAW)"}
     * @param errno the {@code errno} it failed with, or 0 for a failure that is not an errno
     * @param hint  what the user can do, or an empty string
     */
    public LinuxException(String call, int errno, String hint) {
        super(message(call, errno, null, hint));
        this.call = call;
        this.errno = errno;
        this.hint = hint;
    }

    private LinuxException(String call, String problem, String hint) {
        super(message(call, 0, problem, hint));
        this.call = call;
        this.errno = 0;
        this.hint = hint;
    }

    /** The failure of {@code call} with {@code errno}, with the default hint for the two. */
    public static LinuxException of(String call, int errno) {
        return new LinuxException(call, errno, FailureHints.forCall(call, errno));
    }

    /** The failure of {@code call} with {@code errno}, with the caller's own hint. */
    public static LinuxException of(String call, int errno, String hint) {
        return new LinuxException(call, errno, hint);
    }

    /** A check that found the process in the wrong state, e.g. a thread still holding capabilities. */
    public static LinuxException checkFailed(String check, String problem, String hint) {
        return new LinuxException(check, problem, hint);
    }

    /** The call (or check) that failed, with its salient arguments. */
    public String call() {
        return call;
    }

    /** The errno value, or 0 when the failure was a failed check rather than a failed call. */
    public int errno() {
        return errno;
    }

    /** The errno's symbolic name, e.g. {@code "EPERM"}, or {@code "none"} for a failed check. */
    public String errnoName() {
        return errno == 0 ? "none" : Errno.name(errno);
    }

    /** What the user can do about it; may be empty. */
    public String hint() {
        return hint;
    }

    private static String message(String call, int errno, String problem, String hint) {
        String what = problem != null
            ? problem
            : Errno.name(errno) + " (" + Errno.description(errno) + ")";
        String message = call + " failed: " + what;
        return hint == null || hint.isEmpty() ? message : message + " — " + hint;
    }
}
