package io.ringcap.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ringcap.ring.ReaderStatus;
import io.ringcap.ring.ReaderStatusDescriptor;
import io.ringcap.ring.Sizes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ringcap status PATH}: is the writer alive, how full is the ring and how much time does it hold, and
 * what every stage counted: the source (packets seen, drops), the ring writer, each reader that announced
 * itself beside the ring (delivered, lost to laps) and a recorder's disk (written, lost to disk).
 * The JSON field names are an interface for scripts and monitoring: add fields, never rename them.
 */
@Command(name = "status", description = "Show a ring's writer, fill level, time window, and the counts of every"
    + " stage: source, ring writer, each reader, recorder-to-disk.")
final class StatusCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH", description = "The ring file.")
    Path path;

    @Option(names = "--json", description = "Print one JSON object with snake_case fields instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        RingStatus status = RingStatus.read(path);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JSON.writeValueAsString(toJson(status)));
        } else {
            printHuman(status, out);
        }
        out.flush();
        return 0;
    }

    private static void printHuman(RingStatus s, PrintWriter out) {
        line(out, "ring", s.path().toString());
        line(out, "format", "version " + s.formatVersion() + ", " + Sizes.format(s.capacity()) + " of records in "
            + Sizes.format(s.pageSize()) + " pages, file " + Sizes.format(s.fileLength()) + " on "
            + s.backing().describe());
        line(out, "created", UtcTime.format(s.creationTimeNanos()));
        line(out, "writer", writerText(s));
        line(out, "source", s.sourceDescription().isEmpty() ? "(not stated)" : s.sourceDescription());
        line(out, "timestamps", name(s.timestampSource()));
        line(out, "fill", String.format(Locale.ROOT, "%.1f%% (%s of %s)", 100 * s.fillRatio(),
            Sizes.format(s.filledBytes()), Sizes.format(s.capacity())));
        line(out, "window", s.window()
            .map(w -> UtcTime.format(w.oldestNanos()) + " to " + UtcTime.format(w.newestNanos()) + ": "
                + ElapsedTime.format(w.durationNanos()) + ", " + w.records() + " records")
            .orElse("empty: no record in the ring"));
        line(out, "written", s.recordsWritten() + " records, " + Sizes.format(s.bytesWritten()) + " of frames ("
            + s.truncatedRecords() + " truncated)");
        line(out, "interface", s.interfaceReceived() < 0 ? "no counters (the source has no interface, or an older writer)"
            : "received " + s.interfaceReceived() + ", dropped by driver or NIC " + s.interfaceDrops()
                + " since the capture started (every packet on the interface, captured or not)");
        line(out, "at source", "received " + s.sourceReceived() + ", dropped " + s.sourceDrops()
            + (s.sourceReceived() > 0
                ? String.format(Locale.ROOT, " (%.3f%%)", 100.0 * s.sourceDrops() / s.sourceReceived())
                : ""));
        if (s.readers().isEmpty()) {
            line(out, "readers", "none announced (readers list themselves in " + ReaderStatusDescriptor.directory(s.path())
                + ")");
        }
        for (ReaderStatus reader : s.readers()) {
            line(out, "reader", ReaderReport.line(reader, s.tail(), s.creationTimeNanos()));
        }
    }

    private static String writerText(RingStatus s) {
        String heartbeat = "heartbeat " + ElapsedTime.format(s.heartbeatAgeNanos()) + " ago";
        return switch (s.writer()) {
            case NEVER_STARTED -> "never started: no capture has opened this ring yet";
            case ALIVE -> "alive: pid " + s.writerPid() + ", " + heartbeat + ", epoch " + s.epoch();
            case STALE -> "stale: pid " + s.writerPid() + " runs but its last " + heartbeat + ", epoch " + s.epoch();
            case DEAD -> "dead: pid " + s.writerPid() + " ended without closing the ring, last " + heartbeat
                + ", epoch " + s.epoch();
            case CLOSED -> "closed: the last writer (pid " + s.writerPid() + ", epoch " + s.epoch()
                + ") closed the ring";
        };
    }

    private static void line(PrintWriter out, String label, String value) {
        out.printf("%-11s%s%n", label, value);
    }

    static ObjectNode toJson(RingStatus s) {
        ObjectNode root = JSON.createObjectNode();
        root.put("path", s.path().toString());
        root.put("observed_at", UtcTime.format(s.observedNanos()));
        root.put("format_version", s.formatVersion());
        root.put("capacity_bytes", s.capacity());
        root.put("page_size_bytes", s.pageSize());
        root.put("file_bytes", s.fileLength());
        root.put("backing", s.backing().type());
        root.put("created_at", UtcTime.format(s.creationTimeNanos()));
        root.put("epoch", s.epoch());

        ObjectNode writer = root.putObject("writer");
        writer.put("status", name(s.writer()));
        if (s.writerEverStarted()) {
            writer.put("pid", s.writerPid());
            writer.put("heartbeat_at", UtcTime.format(s.heartbeatNanos()));
            writer.put("heartbeat_age_nanos", s.heartbeatAgeNanos());
        } else {
            writer.putNull("pid");
            writer.putNull("heartbeat_at");
            writer.putNull("heartbeat_age_nanos");
        }

        root.put("timestamp_source", name(s.timestampSource()));
        root.put("source_description", s.sourceDescription());
        root.put("tail", s.tail());
        root.put("tail_intent", s.tailIntent());
        root.put("fill_bytes", s.filledBytes());
        root.put("fill_ratio", s.fillRatio());
        s.window().ifPresentOrElse(w -> {
            ObjectNode window = root.putObject("window");
            window.put("oldest_at", UtcTime.format(w.oldestNanos()));
            window.put("newest_at", UtcTime.format(w.newestNanos()));
            window.put("oldest_nanos", w.oldestNanos());
            window.put("newest_nanos", w.newestNanos());
            window.put("duration_nanos", w.durationNanos());
            window.put("oldest_sequence", w.oldestSequence());
            window.put("newest_sequence", w.newestSequence());
            window.put("records", w.records());
        }, () -> root.putNull("window"));
        root.put("records_written", s.recordsWritten());
        root.put("bytes_written", s.bytesWritten());
        root.put("truncated_records", s.truncatedRecords());
        if (s.interfaceReceived() < 0) {
            root.putNull("interface_received");
            root.putNull("interface_drops");
        } else {
            root.put("interface_received", s.interfaceReceived());
            root.put("interface_drops", s.interfaceDrops());
        }
        root.put("source_received", s.sourceReceived());
        root.put("source_drops", s.sourceDrops());
        ArrayNode readers = root.putArray("readers");
        s.readers().forEach(reader -> ReaderReport.addJson(readers, reader, s.tail(), s.creationTimeNanos()));
        return root;
    }

    private static String name(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
