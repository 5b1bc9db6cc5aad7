package io.ringcap.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ringcap.record.RecorderStatus;
import io.ringcap.ring.TimestampSource;
import io.ringcap.traffic.GroupAddress;
import io.ringcap.traffic.TrafficReport;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What {@code ringcap demo} proves at the end: every packet accounted for at every stage (sent, taken in by
 * the source, written to the ring, written to pcapng), per line of the A/B feed, with the reason each stage
 * gives for what it lost. The JSON field names are an interface for scripts: add fields, never rename them.
 *
 * @param network         where the traffic went, e.g. the test network's namespaces or loopback.
 * @param source          the capture source's description from the ring header.
 * @param sourceChoice    which source was chosen, and why.
 * @param timestamps      where the records' timestamps come from.
 * @param sent            the generator's report.
 * @param lines           the feed's lines, A and B.
 * @param lastSequence    the highest sequence number sent on every line.
 * @param lostOnEveryLine sequence numbers missing from the recording on every line (after A/B arbitration).
 * @param sourceReceived  packets the source took in (kernel socket, AF_PACKET or XDP program).
 * @param sourceDropped   packets the source dropped (its buffer or ring was full).
 * @param ringWritten     records written to the ring.
 * @param ringTruncated   records cut to the ring's largest record.
 * @param recorder        the recorder's final counters.
 * @param files           the pcapng files written.
 * @param kept            whether the files outlive the demo (--keep).
 */
record DemoSummary(String network, String source, SourceChoice sourceChoice, TimestampSource timestamps, TrafficReport sent,
    List<Line> lines, long lastSequence, long lostOnEveryLine, long sourceReceived, long sourceDropped,
    long ringWritten, long ringTruncated, RecorderStatus recorder, List<Path> files, boolean kept) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One line of the feed.
     *
     * @param name     A or B.
     * @param group    its multicast group and port.
     * @param sent     packets the generator sent to it.
     * @param captured packets of it in the ring.
     * @param recorded packets of it in the pcapng files.
     * @param missing  sequence numbers from 1 to the last sent that the recording lacks on this line.
     * @param gaps     runs of consecutive missing sequence numbers.
     */
    record Line(String name, GroupAddress group, long sent, long captured, long recorded, long missing, long gaps) {
    }

    /**
     * Packets sent that no stage accounts for: neither recorded nor counted as dropped by the source, lapped
     * in the ring or refused by the disk. Zero is the point of the demo.
     */
    long unexplainedLoss() {
        return sent.packets() - recorder.packets() - sourceDropped - recorder.lostToLaps() - recorder.lostToDisk();
    }

    void print(PrintWriter out) {
        out.println();
        out.println("ringcap demo: summary");
        out.printf(Locale.ROOT, "  network     %s%n", network);
        out.printf(Locale.ROOT, "  source      %s%n", source);
        out.printf(Locale.ROOT, "              (%s)%n", sourceChoice);
        out.printf(Locale.ROOT, "  sent        %,d packets in %.1f s (%,.0f pkt/s)%n", sent.packets(),
            sent.durationNanos() / 1e9, sent.packetsPerSecond());
        out.printf(Locale.ROOT, "  %-5s %-20s %12s %12s %12s %10s %6s%n", "line", "group", "sent", "captured",
            "recorded", "missing", "gaps");
        for (Line line : lines) {
            out.printf(Locale.ROOT, "  %-5s %-20s %,12d %,12d %,12d %,10d %,6d%n", line.name(), line.group(),
                line.sent(), line.captured(), line.recorded(), line.missing(), line.gaps());
        }
        out.printf(Locale.ROOT, "  A/B         sequence numbers 1..%,d: %,d missing on both lines (lost after"
            + " arbitration; a gap on one line filled by the other is no loss)%n", lastSequence, lostOnEveryLine);
        out.println("  losses by stage");
        out.printf(Locale.ROOT, "    generator  %,d sent, %,d sends retried (%s)%s%n", sent.packets(),
            sent.totalRetriedSends(), sent.retriedSends(), sent.failure().map(f -> ", stopped: " + f).orElse(""));
        out.printf(Locale.ROOT, "    source     %,d received, %,d dropped (its socket buffer or ring was full)%n",
            sourceReceived, sourceDropped);
        out.printf(Locale.ROOT, "    ring       %,d written, %,d truncated (longer than the ring's largest record)%n",
            ringWritten, ringTruncated);
        out.printf(Locale.ROOT, "    recorder   %,d written, %,d lost to laps (the ring overwrote them first),"
            + " %,d to disk (writes refused)%n", recorder.packets(), recorder.lostToLaps(), recorder.lostToDisk());
        out.printf(Locale.ROOT, "    unexplained %,d%n", unexplainedLoss());
        out.printf(Locale.ROOT, "  timestamps  %s: %s; nanosecond resolution in the ring and in the pcapng files"
            + " (if_tsresol 9)%n", name(timestamps), meaning(timestamps));
        for (Path file : files) {
            out.printf(Locale.ROOT, "  file        %s%s%n", file, kept ? "" : " (deleted on exit: --keep keeps it)");
        }
        if (!files.isEmpty()) {
            out.printf(Locale.ROOT, "  open with   tshark -r %s%n", files.getFirst());
        }
        out.flush();
    }

    private static String name(TimestampSource source) {
        return source.name().toLowerCase(Locale.ROOT);
    }

    /** Where the nanoseconds come from, in the words a user compares clocks with. */
    static String meaning(TimestampSource source) {
        return switch (source) {
            case HARDWARE -> "the NIC's hardware clock";
            case KERNEL -> "the kernel's receive time (CLOCK_REALTIME)";
            case USER -> "taken by the capture thread in user space";
            case XDP_TAI -> "taken in the XDP program from CLOCK_TAI, converted to UTC";
            case FILE -> "replayed from a capture file";
            case UNKNOWN -> "not stated by the writer";
        };
    }

    void printJson(PrintWriter out) {
        ObjectNode root = JSON.createObjectNode();
        root.put("network", network);
        root.put("source", source);
        root.put("source_choice", sourceChoice.source().name());
        root.put("source_choice_reason", sourceChoice.why());
        root.put("timestamps", name(timestamps));
        root.put("timestamps_meaning", meaning(timestamps));
        root.put("timestamp_resolution_ns", 1);
        root.put("sent", sent.packets());
        root.put("duration_s", sent.durationNanos() / 1e9);
        root.put("last_sequence", lastSequence);
        root.put("lost_on_every_line", lostOnEveryLine);
        ArrayNode lineArray = root.putArray("lines");
        for (Line line : lines) {
            ObjectNode node = lineArray.addObject();
            node.put("name", line.name());
            node.put("group", line.group().toString());
            node.put("sent", line.sent());
            node.put("captured", line.captured());
            node.put("recorded", line.recorded());
            node.put("missing", line.missing());
            node.put("gaps", line.gaps());
        }
        ObjectNode stages = root.putObject("stages");
        ObjectNode generator = stages.putObject("generator");
        generator.put("sent", sent.packets());
        generator.put("retried_sends", sent.totalRetriedSends());
        generator.put("failure", sent.failure().orElse(null));
        ObjectNode sourceNode = stages.putObject("source");
        sourceNode.put("received", sourceReceived);
        sourceNode.put("dropped", sourceDropped);
        ObjectNode ring = stages.putObject("ring");
        ring.put("written", ringWritten);
        ring.put("truncated", ringTruncated);
        ObjectNode recorderNode = stages.putObject("recorder");
        recorderNode.put("written", recorder.packets());
        recorderNode.put("lost_to_laps", recorder.lostToLaps());
        recorderNode.put("lost_to_disk", recorder.lostToDisk());
        root.put("unexplained_loss", unexplainedLoss());
        ArrayNode fileArray = root.putArray("files");
        files.forEach(file -> fileArray.add(file.toString()));
        root.put("files_kept", kept);
        out.println(root.toPrettyString());
        out.flush();
    }
}
