package io.ringcap.capture;

/**
 * Capture could not be set up or went wrong, with a message that says what the user can do about it.
 * The only exception this module throws at its API boundary for a failure of the host (a missing
 * interface, a missing privilege, a NIC without hardware timestamps); bad arguments are
 * {@link IllegalArgumentException}s.
 */
public final class CaptureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CaptureException(String message) {
        super(message);
    }

    public CaptureException(String message, Throwable cause) {
        super(message, cause);
    }
}
