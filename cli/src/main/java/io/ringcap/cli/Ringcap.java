package io.ringcap.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code ringcap} command. Exit codes: 0 success, 1 runtime failure (a ring that cannot be opened, an
 * I/O error), 2 bad usage (unknown option, bad value). Failures print one line, {@code ringcap: <why>}, on
 * stderr; {@code --debug} or {@code RINGCAP_DEBUG=1} adds the stack trace.
 */
@Command(
    name = "ringcap",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Lossless packet capture into a shared-memory ring.",
    subcommands = {DemoCommand.class, CaptureCommand.class, RecordCommand.class, ExtractCommand.class, StatusCommand.class,
        RingCommand.class, TopCommand.class, DoctorCommand.class, GenerateCommand.class, FilterCommand.class,
        BenchCommand.class, CommandLine.HelpCommand.class})
public final class Ringcap implements Runnable {
    /** Inherited by every subcommand, so it may be given anywhere on the line. */
    @Option(names = {"-X", "--debug"}, scope = ScopeType.INHERIT,
        description = "Print the stack trace of a failure (or set RINGCAP_DEBUG=1).")
    boolean debug;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with ringcap's error reporting; tests redirect its output with setOut/setErr. */
    static CommandLine commandLine() {
        ErrorReporter errors = new ErrorReporter();
        return new CommandLine(new Ringcap())
            .setCaseInsensitiveEnumValuesAllowed(true)
            .setParameterExceptionHandler(errors)
            .setExecutionExceptionHandler(errors);
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command");
    }
}
