package io.ringcap.cli;

import io.ringcap.ring.RingException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * Turns every failure into one line on stderr and an exit code: usage errors exit 2 with a pointer to
 * {@code --help}, runtime failures exit 1. Users of a capture tool read these messages at 3 a.m.; a stack
 * trace helps only the developer, so it comes only on request.
 */
final class ErrorReporter implements IParameterExceptionHandler, IExecutionExceptionHandler {
    private static final String DEBUG_ENVIRONMENT = "RINGCAP_DEBUG";

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println("ringcap: " + message(e));
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for more information.");
        if (debugRequested(commandLine.getParseResult())) {
            e.printStackTrace(err);
        }
        err.flush();
        return commandLine.getCommandSpec().exitCodeOnInvalidInput();
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        boolean debug = debugRequested(parseResult);
        if (e instanceof RingException || e instanceof CommandFailure) {
            err.println("ringcap: " + e.getMessage());
        } else if (e instanceof IOException || e instanceof UncheckedIOException) {
            err.println("ringcap: I/O error: " + e.getMessage());
        } else {
            err.println("ringcap: internal error: " + e + (debug ? "" : " (run with --debug for the stack trace)"));
        }
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return commandLine.getCommandSpec().exitCodeOnExecutionException();
    }

    /** picocli says "Unmatched argument at index 0: 'foo'" for a mistyped command; say what it is instead. */
    private static String message(ParameterException e) {
        CommandSpec spec = e.getCommandLine().getCommandSpec();
        if (e instanceof UnmatchedArgumentException unmatched && !spec.subcommands().isEmpty()
            && spec.positionalParameters().isEmpty() && !unmatched.getUnmatched().isEmpty()
            && !unmatched.getUnmatched().getFirst().startsWith("-")) {
            return "unknown command '" + unmatched.getUnmatched().getFirst() + "': the commands of '"
                + spec.qualifiedName() + "' are " + String.join(", ", spec.subcommands().keySet());
        }
        return e.getMessage();
    }

    private static boolean debugRequested(ParseResult parseResult) {
        if ("1".equals(System.getenv(DEBUG_ENVIRONMENT))) {
            return true;
        }
        for (ParseResult command = parseResult; command != null; command = command.subcommand()) {
            if (command.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }
}
