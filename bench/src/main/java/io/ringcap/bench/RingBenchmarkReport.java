package io.ringcap.bench;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The short run behind {@code ringcap bench ring}: every ring benchmark, Agrona's broadcast buffer and the
 * copy ceilings (without and with readers), each in one fork (or more) with two 1 s warmups and two 1 s
 * measurements under JMH's GC profiler (about 3.5 minutes a fork on two cores), printed as one table side by side with the project's
 * targets. A score is the mean over every fork's measurements: on a shared VM one fork of a memory-bound row can
 * come out twice as slow as the next, so three forks give figures to compare.
 *
 * <p>JMH forks a JVM per benchmark on this JVM's class path, so the caller's class path must hold this
 * module and its dependencies. Figures from so short a run are indicative; the full suite (see
 * {@code bench/README.md}) is what to quote.
 */
public final class RingBenchmarkReport {
    /** Most forks {@link #run} takes: each adds about 3.5 minutes. */
    public static final int MAX_FORKS = 10;

    /**
     * Forks must open native access for the ring's mapping, and {@code jdk.internal.misc} for Agrona; these
     * replace the benchmarks' own, so the ring's inlining of its write (see {@link RingPublishBenchmark}) is
     * repeated.
     */
    private static final String[] FORK_JVM_ARGS = {
        "--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED",
        RingPublishBenchmark.QUIET_COMPILE_COMMANDS, RingPublishBenchmark.INLINE_WRITE};

    private static final List<Class<?>> BENCHMARKS = List.of(
        RingPublishBenchmark.class, RingReadBenchmark.class, BroadcastTransmitBenchmark.class,
        CopyCeilingBenchmark.class, CopyCeilingWithReadersBenchmark.class);

    private RingBenchmarkReport() {
    }

    /**
     * Runs the short version of the ring benchmarks in {@code forks} forks each (1 to {@link #MAX_FORKS}), their
     * buffers on {@code backing}, and prints the table (or, with {@code json}, the same as JSON) on {@code out};
     * JMH's progress goes to {@code progress}. Returns 0 when the benchmarks ran, whether the targets were met or
     * not (the output says), and 1 when they could not run.
     */
    public static int run(boolean json, int forks, BenchmarkBacking backing, PrintStream out, PrintStream progress) {
        if (forks < 1 || forks > MAX_FORKS) {
            throw new IllegalArgumentException("forks must be 1 to " + MAX_FORKS + ", not " + forks);
        }
        OptionsBuilder builder = new OptionsBuilder();
        for (Class<?> benchmark : BENCHMARKS) {
            builder.include("^" + Pattern.quote(benchmark.getName() + "."));
        }
        Options options = builder
            .forks(forks)
            // Two warmups: on an idle 2-core machine the ring's 1500-byte writes took about 2 s to reach steady state.
            .warmupIterations(2)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(2)
            .measurementTime(TimeValue.seconds(1))
            .addProfiler(GCProfiler.class)
            .jvmArgsAppend(forkJvmArguments(backing))
            .shouldFailOnError(true)
            .build();
        Collection<RunResult> results;
        try {
            results = new Runner(options, OutputFormatFactory.createFormatInstance(progress, VerboseMode.NORMAL)).run();
        } catch (RunnerException e) {
            progress.println("ring benchmarks failed: " + e.getMessage());
            return 1;
        }
        RingBenchmarkSummary summary = RingBenchmarkSummary.of(results, Runtime.getRuntime().availableProcessors(),
            backing);
        out.print(json ? summary.toJson() : summary.toMarkdown());
        out.flush();
        return 0;
    }

    private static String[] forkJvmArguments(BenchmarkBacking backing) {
        String[] arguments = Arrays.copyOf(FORK_JVM_ARGS, FORK_JVM_ARGS.length + 1);
        arguments[FORK_JVM_ARGS.length] = backing.jvmArgument();
        return arguments;
    }

    /**
     * {@code java -cp benchmarks.jar io.ringcap.bench.RingBenchmarkReport [--json]}: one fork, buffers where
     * {@link BenchmarkBacking#choose} puts them, without the CLI.
     */
    public static void main(String[] args) {
        System.exit(run(List.of(args).contains("--json"), 1, BenchmarkBacking.choose(), System.out, System.err));
    }
}
