package io.ringcap.pcap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The public pcap/pcapng corpus the project reads in place at {@code ../shared/corpus}, found by
 * walking up from the working directory (or given by {@code -Dringcap.corpus=DIR}).
 */
final class Corpus {
    static final String ABSENT = "no shared/corpus/MANIFEST.txt above the working directory (set -Dringcap.corpus)";

    private Corpus() {
    }

    /** @return the corpus directory, or null if there is none. */
    static Path directory() {
        final String configured = System.getProperty("ringcap.corpus");
        if (configured != null) {
            final Path path = Paths.get(configured);
            return Files.isRegularFile(path.resolve("MANIFEST.txt")) ? path : null;
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            final Path candidate = dir.resolve("shared").resolve("corpus");
            if (Files.isRegularFile(candidate.resolve("MANIFEST.txt"))) {
                return candidate;
            }
        }
        return null;
    }

    /** One line of the MANIFEST: a file and what it holds. */
    record Entry(Path file, String localPath, String holds, String notes) {
        boolean isDocument() {
            final String name = file.getFileName().toString();
            return name.endsWith(".txt") || name.endsWith(".md") || name.startsWith("LICENSE");
        }

        @Override
        public String toString() {
            return localPath;
        }
    }

    static List<Entry> entries() throws IOException {
        final Path directory = directory();
        final List<Entry> entries = new ArrayList<>();
        if (directory == null) {
            return entries;
        }
        for (final String line : Files.readAllLines(directory.resolve("MANIFEST.txt"))) {
            final String[] fields = line.split(" \\| ");
            if (fields.length >= 5 && fields[2].trim().matches("\\d+ B")) {
                entries.add(new Entry(directory.resolve(fields[0].trim()), fields[0].trim(), fields[4].trim(),
                    fields.length > 5 ? fields[5].trim() : ""));
            }
        }
        return entries;
    }
}
