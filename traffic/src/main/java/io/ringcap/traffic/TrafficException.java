package io.ringcap.traffic;

/**
 * A test network or traffic generator that could not do what was asked, with what the user can
 * do about it in the message. Failing Linux calls arrive as {@code io.ringcap.linux.LinuxException}
 * instead, which already say the same.
 */
public final class TrafficException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}. */
    public TrafficException(String message) {
        super(message);
    }

    /** A failure described by {@code message}, caused by {@code cause}. */
    public TrafficException(String message, Throwable cause) {
        super(message, cause);
    }
}
