package io.ringcap.traffic;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * The MoldUDP64-style header that starts every UDP payload the {@link TrafficGenerator} sends,
 * read and written in place.
 * <pre>
 *   0                             10                            18        20
 *   +-----------------------------+-----------------------------+---------+------------------------
 *   | session: 10 ASCII bytes,    | sequence number: unsigned   | message | message blocks: 2-byte
 *   | space-padded               | 64-bit, big-endian          | count   | big-endian length, data
 *   +-----------------------------+-----------------------------+---------+------------------------
 * </pre>
 * As in MoldUDP64 the sequence number is that of the packet's first message; the generator puts
 * one message in each packet that has room for a block (payloads of 22 bytes and more), so the
 * sequence number also counts packets. All fields are big-endian and unaligned. Offsets are from
 * the start of the UDP payload; {@link UdpFrame#payloadOffset} finds it in a captured frame.
 */
public final class MoldHeader {
    /** Offset of the session. */
    public static final int SESSION_OFFSET = 0;
    /** Bytes of the session. */
    public static final int SESSION_LENGTH = 10;
    /** Offset of the sequence number. */
    public static final int SEQUENCE_OFFSET = 10;
    /** Offset of the message count. */
    public static final int MESSAGE_COUNT_OFFSET = 18;
    /** Bytes of the header: the smallest payload the generator sends. */
    public static final int LENGTH = 20;
    /** Bytes of the length that precedes each message block. */
    public static final int MESSAGE_LENGTH_LENGTH = 2;

    private static final ValueLayout.OfLong SEQUENCE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private MoldHeader() {
    }

    /** The session of the header at {@code offset}, trailing spaces removed; allocates the string. */
    public static String session(MemorySegment payload, long offset) {
        byte[] bytes = new byte[SESSION_LENGTH];
        MemorySegment.copy(payload, JAVA_BYTE, offset + SESSION_OFFSET, bytes, 0, SESSION_LENGTH);
        return new String(bytes, StandardCharsets.US_ASCII).stripTrailing();
    }

    /** The sequence number of the header at {@code offset}. */
    public static long sequence(MemorySegment payload, long offset) {
        return payload.get(SEQUENCE, offset + SEQUENCE_OFFSET);
    }

    /** The message count of the header at {@code offset}. */
    public static int messageCount(MemorySegment payload, long offset) {
        return Short.toUnsignedInt(payload.get(SHORT, offset + MESSAGE_COUNT_OFFSET));
    }

    /** The length of the message block starting at {@code offset} (after its 2-byte length field). */
    public static int messageLength(MemorySegment payload, long offset) {
        return Short.toUnsignedInt(payload.get(SHORT, offset));
    }

    /**
     * The session as the header holds it: {@code session} in ASCII, padded with spaces to
     * {@link #SESSION_LENGTH}; rejects longer or non-ASCII sessions.
     */
    public static byte[] sessionBytes(String session) {
        byte[] bytes = session.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length > SESSION_LENGTH || !StandardCharsets.US_ASCII.newEncoder().canEncode(session)) {
            throw new IllegalArgumentException(
                "a session is at most " + SESSION_LENGTH + " ASCII characters, got '" + session + "'");
        }
        byte[] padded = new byte[SESSION_LENGTH];
        Arrays.fill(padded, (byte) ' ');
        System.arraycopy(bytes, 0, padded, 0, bytes.length);
        return padded;
    }

    /** Writes the {@link #sessionBytes} of a session at {@code offset}. */
    public static void writeSession(MemorySegment payload, long offset, byte[] sessionBytes) {
        MemorySegment.copy(sessionBytes, 0, payload, JAVA_BYTE, offset + SESSION_OFFSET, SESSION_LENGTH);
    }

    /** Writes the sequence number at {@code offset}; allocation-free, for the send loop. */
    public static void writeSequence(MemorySegment payload, long offset, long sequence) {
        payload.set(SEQUENCE, offset + SEQUENCE_OFFSET, sequence);
    }

    /** Writes the message count at {@code offset}. */
    public static void writeMessageCount(MemorySegment payload, long offset, int count) {
        payload.set(SHORT, offset + MESSAGE_COUNT_OFFSET, (short) count);
    }

    /** Writes the length of a message block at {@code offset}. */
    public static void writeMessageLength(MemorySegment payload, long offset, int length) {
        payload.set(SHORT, offset, (short) length);
    }
}
