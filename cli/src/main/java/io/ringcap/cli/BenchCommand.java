package io.ringcap.cli;

import io.ringcap.bench.BenchmarkBacking;
import io.ringcap.bench.RingBenchmarkReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ringcap bench}: measurements to compare ringcap with the tools users would pick instead. */
@Command(
    name = "bench",
    description = "Run benchmarks and print their figures beside the alternatives'.",
    subcommands = {BenchCommand.Ring.class})
final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: one of " + spec.subcommands().keySet());
    }

    /** {@code ringcap bench ring}: a short JMH run of the ring against Agrona and a bare copy. */
    @Command(name = "ring",
        description = "Publish and read cost of the packet ring beside Agrona's broadcast buffer and a bare "
            + "memory copy (about 3.5 minutes a fork; progress on stderr).")
    static final class Ring implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print the results as JSON.")
        boolean json;

        @Option(names = "--forks", paramLabel = "N", defaultValue = "1",
            description = "JMH forks a benchmark, 1 to 10 (default 1; about 3.5 minutes each). A score is the mean of "
                + "all forks: use 3 or more for figures to compare, since one fork can land on a slow spell.")
        int forks;

        @Option(names = "--dir", paramLabel = "DIR",
            description = "Directory for the benchmark's buffers (the ring, Agrona's buffer, the copy ceiling's). "
                + "Default: a hugetlbfs mount with enough free huge pages, as production rings use, else /dev/shm.")
        Path directory;

        @Override
        public Integer call() {
            if (forks < 1 || forks > RingBenchmarkReport.MAX_FORKS) {
                throw new ParameterException(spec.commandLine(), "--forks must be 1 to " + RingBenchmarkReport.MAX_FORKS
                    + ", not " + forks);
            }
            BenchmarkBacking backing;
            try {
                backing = directory == null ? BenchmarkBacking.choose() : BenchmarkBacking.in(directory);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--dir " + e.getMessage());
            } catch (IllegalStateException e) {
                throw new CommandFailure("--dir " + e.getMessage());
            }
            if (!backing.advice().isEmpty()) {
                System.err.println("ringcap: benchmark buffers " + backing.advice());
            }
            return RingBenchmarkReport.run(json, forks, backing, System.out, System.err);
        }
    }
}
