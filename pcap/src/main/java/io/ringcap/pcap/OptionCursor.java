package io.ringcap.pcap;

import static io.ringcap.pcap.PcapngDescriptor.OPTION_HEADER_LENGTH;
import static io.ringcap.pcap.PcapngDescriptor.OPT_ENDOFOPT;
import static io.ringcap.pcap.PcapngDescriptor.padded;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks the options of one block in place: code, length and where the value starts. Refuses an
 * option whose value runs past the block; stops at {@code opt_endofopt} or the end of the block.
 */
final class OptionCursor {
    private MemorySegment segment;
    private ByteOrderLayouts layouts;
    private long position;
    private long end;
    private long fileOffsetDelta;
    private int code;
    private int length;
    private long valueOffset;

    /**
     * @param segment         the window holding the block.
     * @param start           offset in {@code segment} of the first option.
     * @param end             offset in {@code segment} where options must end: the trailing block length.
     * @param fileOffsetDelta what to add to an offset in {@code segment} to make it a file offset.
     */
    OptionCursor reset(
        final MemorySegment segment, final ByteOrderLayouts layouts, final long start, final long end,
        final long fileOffsetDelta) {
        this.segment = segment;
        this.layouts = layouts;
        this.position = start;
        this.end = end;
        this.fileOffsetDelta = fileOffsetDelta;
        return this;
    }

    boolean next() throws PcapFormatException {
        if (end - position < OPTION_HEADER_LENGTH) {
            return false;
        }
        code = Short.toUnsignedInt(segment.get(layouts.u16, position));
        length = Short.toUnsignedInt(segment.get(layouts.u16, position + Short.BYTES));
        if (code == OPT_ENDOFOPT) {
            return false;
        }
        valueOffset = position + OPTION_HEADER_LENGTH;
        if (length > end - valueOffset) {
            throw new PcapFormatException(position + fileOffsetDelta,
                "option " + code + " of " + length + " bytes runs past the end of its block, " + (end - valueOffset)
                + " bytes away");
        }
        position = valueOffset + padded(length);
        return true;
    }

    int code() {
        return code;
    }

    /**
     * Where what follows the walk starts once {@link #next()} returned false: past the end marker if the walk
     * stopped at one. A Name Resolution Block's options follow its records so.
     */
    long following() {
        return end - position >= OPTION_HEADER_LENGTH ? position + OPTION_HEADER_LENGTH : position;
    }

    /** The value's bytes from {@code from}, as a copy. */
    byte[] bytes(final int from, final int to) {
        return segment.asSlice(valueOffset + from, to - from).toArray(ValueLayout.JAVA_BYTE);
    }

    /** The value's byte at {@code index}. */
    byte byteAt(final int index) {
        return segment.get(ValueLayout.JAVA_BYTE, valueOffset + index);
    }

    int length() {
        return length;
    }

    long fileOffset() {
        return valueOffset - OPTION_HEADER_LENGTH + fileOffsetDelta;
    }

    int u8() {
        return Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, valueOffset));
    }

    int u32() throws PcapFormatException {
        requireLength(Integer.BYTES);
        return segment.get(layouts.u32, valueOffset);
    }

    long u64() throws PcapFormatException {
        requireLength(Long.BYTES);
        return segment.get(layouts.u64, valueOffset);
    }

    /** A timestamp option: two 32-bit words, high first, like a packet block's. */
    long timestampTicks() throws PcapFormatException {
        requireLength(Long.BYTES);
        return (Integer.toUnsignedLong(segment.get(layouts.u32, valueOffset)) << 32)
            | Integer.toUnsignedLong(segment.get(layouts.u32, valueOffset + Integer.BYTES));
    }

    /** The value as UTF-8 text, without the NUL terminators some writers add. */
    String text(final int skip) {
        long textEnd = valueOffset + length;
        while (textEnd > valueOffset + skip && segment.get(ValueLayout.JAVA_BYTE, textEnd - 1) == 0) {
            textEnd--;
        }
        final long textStart = Math.min(valueOffset + skip, textEnd);
        final byte[] bytes = segment.asSlice(textStart, textEnd - textStart).toArray(ValueLayout.JAVA_BYTE);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Every option of the given code as text; for options already checked by a {@link #next()} walk. */
    List<String> texts(final int wanted) {
        final List<String> texts = new ArrayList<>(1);
        try {
            while (next()) {
                if (code == wanted) {
                    texts.add(text(0));
                }
            }
        } catch (final PcapFormatException alreadyChecked) {
            throw new IllegalStateException("options were validated when the block was read", alreadyChecked);
        }
        return texts;
    }

    private void requireLength(final int expected) throws PcapFormatException {
        if (length != expected) {
            throw new PcapFormatException(fileOffset(),
                "option " + code + " has " + length + " bytes where it must have " + expected);
        }
    }
}
