package io.ringcap.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;

/** What one in-process run of {@code ringcap} printed and returned. */
record CommandResult(int exitCode, String out, String err) {
    static CommandResult execute(String... args) {
        return execute(new StringWriter(), args);
    }

    /** Runs with stdout going to {@code out}, whose {@code toString()} is taken as what was printed. */
    static CommandResult execute(Writer out, String... args) {
        StringWriter err = new StringWriter();
        CommandLine commandLine = Ringcap.commandLine()
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new CommandResult(exitCode, out.toString(), err.toString());
    }
}
