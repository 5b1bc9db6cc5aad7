package io.ringcap.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * One run's figures side by side, and the project's targets checked against them. GB/s are 10^9 frame bytes
 * per second (record headers not counted); B/op is JMH's {@code gc.alloc.rate.norm}, which counts every
 * thread of the fork, reader threads included.
 *
 * @param environment JDK, cores, ring size and the pages the figures were taken with
 * @param advice      how to measure on the pages production rings use, if these were not them; else empty
 * @param publish     one row per frame size, batch and reader count
 * @param read        the reader's cost on a full ring, one row per frame size
 * @param targets     the project's targets, each met or missed
 */
record RingBenchmarkSummary(String environment, String advice, List<PublishRow> publish, List<ReadRow> read,
    List<Target> targets) {
    static final int[] FRAME_SIZES = {64, 256, 1500};
    static final int[] BATCHES = {1, 32};
    static final int[] READERS = {0, 1, 2};
    /**
     * Below this a figure is JMH's own per-iteration allocation spread over the records (up to 0.02 B/record
     * seen), not the ring's: the smallest object is 16 bytes, so one per record shows as 16 and one per batch of
     * 32 as 0.5.
     */
    static final double ZERO_BYTES = 0.25;

    /**
     * Publication side by side.
     *
     * @param oversubscribed              more busy threads (writer and readers) than the machine has cores
     * @param copyCeilingGbPerSecond      the bare copy, no readers ({@link CopyCeilingBenchmark})
     * @param sharedCeilingGbPerSecond    the bare copy published at the same batch to the same number of readers
     *                                    ({@link CopyCeilingWithReadersBenchmark}); the bare copy for no readers
     * @param ringPercentOfSharedCeiling  the ring against that: like for like, what target (b) holds it to
     */
    record PublishRow(int frameSize, int batch, int readers, boolean oversubscribed, double ringNsPerRecord,
        double ringGbPerSecond, double agronaNsPerMessage, double agronaGbPerSecond, double copyCeilingGbPerSecond,
        double ringPercentOfCeiling, double sharedCeilingGbPerSecond, double ringPercentOfSharedCeiling,
        double ringBytesPerRecord) {
    }

    /** Reading a full ring. */
    record ReadRow(int frameSize, double nsPerRecord, double gbPerSecond, double bytesPerRecord) {
    }

    /** A target and whether this run met it; {@code detail} names the figures that decided. */
    record Target(String id, String description, boolean pass, String detail) {
    }

    /**
     * Pairs up {@code results} of the four benchmarks; {@code cores} decides which rows are oversubscribed, and
     * {@code backing} is where their buffers were.
     */
    static RingBenchmarkSummary of(Collection<RunResult> results, int cores, BenchmarkBacking backing) {
        List<PublishRow> publish = new ArrayList<>();
        List<ReadRow> read = new ArrayList<>();
        for (int frameSize : FRAME_SIZES) {
            Score ceiling = Score.find(results, "CopyCeilingBenchmark.copy", frameSize, -1);
            for (int batch : BATCHES) {
                for (int readers : READERS) {
                    Score ring = Score.find(results, batch == 1 ? "RingPublishBenchmark.publish"
                        : "RingPublishBenchmark.publishBatch" + batch, frameSize, readers);
                    Score agrona = Score.find(results, "BroadcastTransmitBenchmark.transmit", frameSize, readers);
                    Score shared = readers == 0 ? ceiling : Score.find(results, batch == 1
                        ? "CopyCeilingWithReadersBenchmark.copy" : "CopyCeilingWithReadersBenchmark.copyBatch" + batch,
                        frameSize, readers);
                    double ringGbPerSecond = ring.gbPerSecond(frameSize);
                    publish.add(new PublishRow(frameSize, batch, readers, readers + 1 > cores, ring.nsPerOp(),
                        ringGbPerSecond, agrona.nsPerOp(), agrona.gbPerSecond(frameSize), ceiling.gbPerSecond(frameSize),
                        100 * ringGbPerSecond / ceiling.gbPerSecond(frameSize), shared.gbPerSecond(frameSize),
                        100 * ringGbPerSecond / shared.gbPerSecond(frameSize), ring.bytesPerOp()));
                }
            }
            Score poll = Score.find(results, "RingReadBenchmark.poll", frameSize, -1);
            read.add(new ReadRow(frameSize, poll.nsPerOp(), poll.gbPerSecond(frameSize), poll.bytesPerOp()));
        }
        BenchmarkParams params = results.iterator().next().getParams();
        String environment = String.format(Locale.ROOT, "JDK %s, %d cores, ring %s on %s, %d fork(s), %d x %s "
                + "warmup, %d x %s measurement", params.getJdkVersion(), cores, params.getParam("ringSize"),
            backing.description(), params.getForks(),
            params.getWarmup().getCount(), params.getWarmup().getTime(), params.getMeasurement().getCount(),
            params.getMeasurement().getTime());
        return new RingBenchmarkSummary(environment, backing.advice(), publish, read, targets(publish, read));
    }

    private static List<Target> targets(List<PublishRow> publish, List<ReadRow> read) {
        Predicate<PublishRow> ownCores = row -> !row.oversubscribed();
        return List.of(
            check("a", "ringcap >= Agrona throughput at every size, batch and reader count", publish,
                row -> true, row -> row.ringGbPerSecond() >= row.agronaGbPerSecond(),
                row -> format("%.2f vs %.2f GB/s", row.ringGbPerSecond(), row.agronaGbPerSecond())),
            check("b", "1500-byte frames >= 70% of the copy ceiling with the same readers (rows with a core per"
                    + " thread)", publish, ownCores.and(row -> row.frameSize() == 1500),
                row -> row.ringPercentOfSharedCeiling() >= 70,
                row -> format("%.0f%% (%.0f%% of the copy without readers)", row.ringPercentOfSharedCeiling(),
                    row.ringPercentOfCeiling())),
            check("c", "64-byte frames batched by 32 <= 15 ns each (rows with a core per thread)", publish,
                ownCores.and(row -> row.frameSize() == 64 && row.batch() == 32), row -> row.ringNsPerRecord() <= 15,
                row -> format("%.1f ns", row.ringNsPerRecord())),
            allocationTarget(publish, read));
    }

    private static Target check(String id, String description, List<PublishRow> rows, Predicate<PublishRow> applies,
        Predicate<PublishRow> meets, Function<PublishRow, String> figure) {
        boolean pass = true;
        List<String> figures = new ArrayList<>();
        for (PublishRow row : rows) {
            if (applies.test(row)) {
                boolean met = meets.test(row);
                pass &= met;
                figures.add(format("%d B/batch %d/%d readers %s%s", row.frameSize(), row.batch(), row.readers(),
                    figure.apply(row), met ? "" : " MISS"));
            }
        }
        return new Target(id, description, pass, String.join("; ", figures));
    }

    private static Target allocationTarget(List<PublishRow> publish, List<ReadRow> read) {
        double worstPublish = publish.stream().mapToDouble(PublishRow::ringBytesPerRecord).max().orElseThrow();
        double worstPoll = read.stream().mapToDouble(ReadRow::bytesPerRecord).max().orElseThrow();
        return new Target("d", "0 bytes allocated per record, publish and poll (< " + ZERO_BYTES + " B/record)",
            worstPublish < ZERO_BYTES && worstPoll < ZERO_BYTES,
            format("worst publish %.3f B/record, worst poll %.3f B/record", worstPublish, worstPoll));
    }

    /** The figures as one markdown table, the read figures and one PASS/MISS line per target. */
    String toMarkdown() {
        StringBuilder out = new StringBuilder();
        out.append("ringcap ring benchmarks: ").append(environment).append("\n\n");
        if (!advice.isEmpty()) {
            out.append("Buffers ").append(advice).append("\n\n");
        }
        out.append("| frame B | batch | readers | ringcap ns/record | ringcap GB/s | Agrona ns/msg | Agrona GB/s "
            + "| copy ceiling GB/s | ringcap % of ceiling | copy with these readers GB/s | ringcap % of it "
            + "| ringcap B/op |\n");
        out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (PublishRow row : publish) {
            out.append(format("| %d | %d | %d%s | %.1f | %.2f | %.1f | %.2f | %.2f | %.0f%% | %.2f | %.0f%% | %.3f |\n",
                row.frameSize(), row.batch(), row.readers(), row.oversubscribed() ? "*" : "", row.ringNsPerRecord(),
                row.ringGbPerSecond(), row.agronaNsPerMessage(), row.agronaGbPerSecond(), row.copyCeilingGbPerSecond(),
                row.ringPercentOfCeiling(), row.sharedCeilingGbPerSecond(), row.ringPercentOfSharedCeiling(),
                row.ringBytesPerRecord()));
        }
        out.append("\nAgrona transmits one message at a time, so its figures repeat on the batch-32 rows. \"copy with"
            + " these readers\" is the bare copy published at the row's batch to as many readers summing every byte:"
            + " what readers cost any ring's writer here.\n");
        if (publish.stream().anyMatch(PublishRow::oversubscribed)) {
            out.append("* more busy threads (writer + readers) than cores: those rows measure time slicing as much "
                + "as the ring.\n");
        }
        out.append("\nRead, full ring, every frame byte summed:");
        for (ReadRow row : read) {
            out.append(format(" %d B %.1f ns/record %.2f GB/s %.3f B/op;", row.frameSize(), row.nsPerRecord(),
                row.gbPerSecond(), row.bytesPerRecord()));
        }
        out.setLength(out.length() - 1);
        out.append("\n\n");
        for (Target target : targets) {
            out.append(format("(%s) %s: %s (%s)\n", target.id(), target.description(), target.pass() ? "PASS" : "MISS",
                target.detail()));
        }
        return out.toString();
    }

    /** The same content as {@link #toMarkdown()}, as one JSON object. */
    String toJson() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this)
                + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the benchmark summary as JSON", e);
        }
    }

    private static String format(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /** One benchmark's score: ns per record (or message, or frame) and bytes allocated per record. */
    private record Score(double nsPerOp, double bytesPerOp) {
        static Score find(Collection<RunResult> results, String benchmark, int frameSize, int readers) {
            for (RunResult result : results) {
                BenchmarkParams params = result.getParams();
                if (params.getBenchmark().endsWith("." + benchmark)
                    && Integer.parseInt(params.getParam("frameSize")) == frameSize
                    && (readers < 0 || Integer.parseInt(params.getParam("readers")) == readers)) {
                    Result<?> allocation = result.getSecondaryResults().get("gc.alloc.rate.norm");
                    return new Score(result.getPrimaryResult().getScore(),
                        allocation == null ? Double.NaN : allocation.getScore());
                }
            }
            throw new IllegalStateException("no result for " + benchmark + " with " + frameSize + "-byte frames"
                + (readers < 0 ? "" : " and " + readers + " readers"));
        }

        double gbPerSecond(int frameSize) {
            return frameSize / nsPerOp;
        }
    }
}
