package io.ringcap.record;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * What a recorder must know to resume after being killed: where it is in the ring, and how far the file
 * it was writing is consistent with that. Kept in {@value #FILE_NAME} in the recording directory, replaced
 * atomically (write a temporary file, rename it over), so a reader of it sees the old state or the new,
 * never a mix. Every record before {@code position} is in the files (up to {@code fileOffset} of
 * {@code partName} for the one being written) or counted as lost; {@code pending*} are losses counted but
 * not yet written into a file.
 *
 * @param ringCreationNanos creation time of the ring, to tell it from a ring recreated at the same path.
 * @param position          ring position of the next record to record.
 * @param expectedSequence  its sequence number, or -1 if not known.
 * @param epoch             the ring writer's epoch when this was written.
 * @param partName          hidden name of the file being written, or null between files.
 * @param fileOffset        bytes of that file that belong to the recording.
 * @param pendingLapLoss    records lost to laps, not yet written into a file.
 * @param pendingDiskLoss   records lost to a failing disk, not yet written into a file.
 */
record RecorderState(long ringCreationNanos, long position, long expectedSequence, long epoch, String partName,
    long fileOffset, long pendingLapLoss, long pendingDiskLoss) {

    static final String FILE_NAME = ".ringcap-record.state";
    private static final String TEMPORARY_NAME = FILE_NAME + ".tmp";
    private static final String HEADER = "ringcap-record-state 1";

    /** The state in {@code directory}, or null if there is none. */
    static RecorderState read(Path directory) throws IOException {
        Path path = directory.resolve(FILE_NAME);
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
        Map<String, String> fields = new HashMap<>();
        String[] lines = text.split("\n");
        if (lines.length == 0 || !lines[0].equals(HEADER) || !lines[lines.length - 1].equals("end")) {
            throw damaged(path, "it is not a complete state file");
        }
        for (int i = 1; i < lines.length - 1; i++) {
            int equals = lines[i].indexOf('=');
            if (equals < 0) {
                throw damaged(path, "line " + (i + 1) + " is not key=value");
            }
            fields.put(lines[i].substring(0, equals), lines[i].substring(equals + 1));
        }
        try {
            String part = fields.getOrDefault("file", "");
            return new RecorderState(number(fields, "ring-created"), number(fields, "position"),
                number(fields, "expected-sequence"), number(fields, "epoch"), part.isEmpty() ? null : part,
                number(fields, "file-offset"), number(fields, "pending-lap-loss"), number(fields, "pending-disk-loss"));
        } catch (NumberFormatException | NullPointerException e) {
            throw damaged(path, "a field is missing or not a number");
        }
    }

    /** Replaces the state in {@code directory} atomically; {@code force} makes it durable before the rename. */
    void write(Path directory, boolean force) throws IOException {
        String text = HEADER + "\nring-created=" + ringCreationNanos + "\nposition=" + position + "\nexpected-sequence="
            + expectedSequence + "\nepoch=" + epoch + "\nfile=" + (partName == null ? "" : partName) + "\nfile-offset="
            + fileOffset + "\npending-lap-loss=" + pendingLapLoss + "\npending-disk-loss=" + pendingDiskLoss + "\nend\n";
        Path temporary = directory.resolve(TEMPORARY_NAME);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            if (force) {
                channel.force(true);
            }
        }
        Files.move(temporary, directory.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
    }

    private static long number(Map<String, String> fields, String key) {
        return Long.parseLong(fields.get(key));
    }

    private static RecordingException damaged(Path path, String why) {
        return new RecordingException("recorder state " + path + " is damaged (" + why + "): delete it to start "
            + "afresh (the recorder then starts where --start says and cannot know what the old files hold)");
    }
}
