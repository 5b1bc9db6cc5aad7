package io.ringcap.cli;

/** A command could not do its work for a reason the user can act on, stated in the message; exits 1. */
final class CommandFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CommandFailure(String message) {
        super(message);
    }
}
