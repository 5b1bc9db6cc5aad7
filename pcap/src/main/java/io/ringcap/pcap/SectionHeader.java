package io.ringcap.pcap;

import java.nio.ByteOrder;
import java.util.List;

/**
 * A pcapng Section Header Block. A file may hold several sections, each with its own byte order
 * and interfaces. Text the block does not give is null.
 *
 * @param fileOffset      byte offset of the block in the file.
 * @param byteOrder       the byte order of every block of the section.
 * @param majorVersion    1 for every section this module reads; other versions are skipped.
 * @param minorVersion    0, or 2 from some older writers, which means the same.
 * @param sectionLength   bytes of the section after this block, or -1 if not given.
 * @param hardware        {@code shb_hardware}.
 * @param os              {@code shb_os}.
 * @param userApplication {@code shb_userappl}.
 * @param comments        every {@code opt_comment}.
 */
public record SectionHeader(
    long fileOffset, ByteOrder byteOrder, int majorVersion, int minorVersion, long sectionLength, String hardware,
    String os, String userApplication, List<String> comments) {

    /** Copies {@code comments}, so the record stays immutable. */
    public SectionHeader {
        comments = List.copyOf(comments);
    }
}
