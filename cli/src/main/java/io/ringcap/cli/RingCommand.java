package io.ringcap.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ringcap ring}: the commands that make and inspect one packet ring. */
@Command(
    name = "ring",
    description = "Create and read packet rings.",
    subcommands = {RingCreateCommand.class, RingTailCommand.class})
final class RingCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: one of " + spec.subcommands().keySet());
    }
}
