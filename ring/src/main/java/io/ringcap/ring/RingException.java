package io.ringcap.ring;

/** A ring could not be created, opened, written or read; the message says why and what to do. */
public final class RingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RingException(String message) {
        super(message);
    }

    public RingException(String message, Throwable cause) {
        super(message, cause);
    }
}
