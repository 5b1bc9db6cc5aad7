package io.ringcap.pcap;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Encodes text as UTF-8 straight into a segment, so that writing a comment allocates nothing
 * (String.getBytes would allocate an array per call). A lone surrogate becomes '?', as
 * String.getBytes would make it.
 */
final class Utf8Encoder {
    private static final byte REPLACEMENT = '?';

    private Utf8Encoder() {
    }

    static int encodedLength(final CharSequence text) {
        int length = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            final char c = text.charAt(i);
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                length += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                length += 1;
            } else {
                length += 3;
            }
        }
        return length;
    }

    /** @return the number of bytes written, equal to {@link #encodedLength}. */
    static int encode(final CharSequence text, final MemorySegment segment, final long offset) {
        long at = offset;
        for (int i = 0, n = text.length(); i < n; i++) {
            final char c = text.charAt(i);
            if (c < 0x80) {
                put(segment, at++, c);
            } else if (c < 0x800) {
                put(segment, at++, 0xC0 | (c >>> 6));
                put(segment, at++, 0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                final int codePoint = Character.toCodePoint(c, text.charAt(++i));
                put(segment, at++, 0xF0 | (codePoint >>> 18));
                put(segment, at++, 0x80 | ((codePoint >>> 12) & 0x3F));
                put(segment, at++, 0x80 | ((codePoint >>> 6) & 0x3F));
                put(segment, at++, 0x80 | (codePoint & 0x3F));
            } else if (Character.isSurrogate(c)) {
                segment.set(ValueLayout.JAVA_BYTE, at++, REPLACEMENT);
            } else {
                put(segment, at++, 0xE0 | (c >>> 12));
                put(segment, at++, 0x80 | ((c >>> 6) & 0x3F));
                put(segment, at++, 0x80 | (c & 0x3F));
            }
        }
        return (int) (at - offset);
    }

    private static void put(final MemorySegment segment, final long offset, final int value) {
        segment.set(ValueLayout.JAVA_BYTE, offset, (byte) value);
    }
}
