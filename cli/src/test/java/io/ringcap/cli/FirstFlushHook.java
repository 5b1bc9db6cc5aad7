package io.ringcap.cli;

import java.io.StringWriter;

/**
 * Standard output for a command under test that runs {@code action} the first time the command flushes:
 * {@code ring tail} flushes after each poll, so the action happens between two polls, at a known point.
 */
final class FirstFlushHook extends StringWriter {
    private Runnable action;

    FirstFlushHook(Runnable action) {
        this.action = action;
    }

    @Override
    public void flush() {
        super.flush();
        Runnable once = action;
        action = null;
        if (once != null) {
            once.run();
        }
    }
}
