package io.ringcap.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ringcap.ring.ReaderStatus;
import io.ringcap.ring.Sizes;

import java.util.Locale;

/**
 * How {@code status} and {@code top} state one reader's announced status: one line for people, one JSON
 * object for scripts (field names are an interface: add, never rename).
 */
final class ReaderReport {
    private ReaderReport() {
    }

    /**
     * e.g. {@code record pid 4242 alive LAPPED: delivered 990, lost 7 in 2 laps, 0 B behind; wrote 990 (99 KiB),
     * 1 file completed, 0 lost to disk (0 disk errors), updated 120 ms ago}.
     */
    static String line(ReaderStatus r, long tail, long ringCreationNanos) {
        if (r.state() == ReaderStatus.State.CORRUPT) {
            return r.file().getFileName() + " unreadable: " + r.problem();
        }
        StringBuilder line = new StringBuilder().append(r.name()).append(" pid ").append(r.pid()).append(' ')
            .append(name(r.state())).append(r.laps() > 0 ? " LAPPED" : "").append(": delivered ")
            .append(r.deliveredRecords()).append(", lost ").append(r.lostRecords()).append(" in ").append(r.laps())
            .append(" laps");
        if (r.ringCreationNanos() != ringCreationNanos) {
            line.append(" (of an earlier ring at this path)");
        } else if (r.state() != ReaderStatus.State.DEAD) {
            line.append(", ").append(Sizes.format(Math.max(0, tail - r.position()))).append(" behind");
        }
        if (r.recorder()) {
            line.append(String.format(Locale.ROOT, "; wrote %d (%s), %d %s completed, %d lost to disk (%d disk errors)",
                r.recordedPackets(), Sizes.format(r.recordedBytes()), r.recordedFiles(),
                r.recordedFiles() == 1 ? "file" : "files", r.lostToDisk(), r.diskErrors()));
        }
        line.append(", updated ").append(ElapsedTime.format(Math.max(0, System.currentTimeMillis() * 1_000_000L
            - r.updateNanos()))).append(" ago");
        return line.toString();
    }

    static void addJson(ArrayNode readers, ReaderStatus r, long tail, long ringCreationNanos) {
        ObjectNode reader = readers.addObject();
        reader.put("file", r.file().toString());
        reader.put("state", name(r.state()));
        if (r.state() == ReaderStatus.State.CORRUPT) {
            reader.put("problem", r.problem());
            return;
        }
        reader.put("name", r.name());
        reader.put("pid", r.pid());
        reader.put("same_ring", r.ringCreationNanos() == ringCreationNanos);
        reader.put("started_at", UtcTime.format(r.startNanos()));
        reader.put("updated_at", UtcTime.format(r.updateNanos()));
        reader.put("position", r.position());
        reader.put("behind_bytes", Math.max(0, tail - r.position()));
        reader.put("delivered_records", r.deliveredRecords());
        reader.put("delivered_bytes", r.deliveredBytes());
        reader.put("lost_records", r.lostRecords());
        reader.put("lost_bytes", r.lostBytes());
        reader.put("laps", r.laps());
        reader.put("lapped", r.laps() > 0);
        if (r.recorder()) {
            ObjectNode recorder = reader.putObject("recorder");
            recorder.put("packets_written", r.recordedPackets());
            recorder.put("bytes_written", r.recordedBytes());
            recorder.put("files", r.recordedFiles());
            recorder.put("lost_to_disk", r.lostToDisk());
            recorder.put("disk_errors", r.diskErrors());
        } else {
            reader.putNull("recorder");
        }
    }

    private static String name(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
