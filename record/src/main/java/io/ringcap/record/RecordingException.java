package io.ringcap.record;

/** Recording or extraction cannot go on for a reason the message states, in words a user can act on. */
public final class RecordingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RecordingException(String message) {
        super(message);
    }

    public RecordingException(String message, Throwable cause) {
        super(message, cause);
    }
}
