package io.ringcap.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.ringcap.linux.MessageLayouts.IOVEC;
import static io.ringcap.linux.MessageLayouts.IOV_BASE_OFFSET;
import static io.ringcap.linux.MessageLayouts.IOV_LEN_OFFSET;
import static io.ringcap.linux.MessageLayouts.MMSGHDR;
import static io.ringcap.linux.MessageLayouts.MSG_CONTROLLEN_OFFSET;
import static io.ringcap.linux.MessageLayouts.MSG_CONTROL_OFFSET;
import static io.ringcap.linux.MessageLayouts.MSG_FLAGS_OFFSET;
import static io.ringcap.linux.MessageLayouts.MSG_IOVLEN_OFFSET;
import static io.ringcap.linux.MessageLayouts.MSG_IOV_OFFSET;
import static io.ringcap.linux.MessageLayouts.MSG_LEN_OFFSET;
import static io.ringcap.linux.MessageLayouts.MSG_NAMELEN_OFFSET;
import static io.ringcap.linux.MessageLayouts.MSG_NAME_OFFSET;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A {@code mmsghdr} vector for recvmmsg/sendmmsg, allocated once with one frame buffer, one
 * {@code sockaddr_in} and one control buffer per message, so that a receive loop allocates
 * nothing.
 * <p>
 * {@link #receive} resets what the kernel overwrote last time and calls recvmmsg; the accessors
 * read message {@code i} of the last batch. {@link #frame(int)} creates a view; a loop that must
 * not allocate reads {@link #frames()} at {@link #frameOffset(int)} instead. Not thread-safe.
 */
public final class MessageBatch {
    private final int count;
    private final int frameSize;
    private final int controlSize;
    private final MemorySegment messages;
    private final MemorySegment iovecs;
    private final MemorySegment names;
    private final MemorySegment frames;
    private final MemorySegment controls;
    private int used;

    private MessageBatch(Arena arena, int count, int frameSize, int controlSize) {
        this.count = count;
        this.frameSize = frameSize;
        this.controlSize = controlSize;
        messages = arena.allocate(MMSGHDR, count);
        iovecs = arena.allocate(IOVEC, count);
        names = arena.allocate(SocketLayouts.SOCKADDR_IN, count);
        frames = arena.allocate((long) frameSize * count, 64);
        controls = arena.allocate((long) controlSize * count, MessageLayouts.CMSG_ALIGNMENT);
        for (int i = 0; i < count; i++) {
            long message = messageOffset(i);
            iovecs.set(ADDRESS, iovecOffset(i) + IOV_BASE_OFFSET, frames.asSlice(frameOffset(i), frameSize));
            messages.set(ADDRESS, message + MSG_NAME_OFFSET, names.asSlice(nameOffset(i), nameSize()));
            messages.set(ADDRESS, message + MSG_IOV_OFFSET, iovecs.asSlice(iovecOffset(i), IOVEC.byteSize()));
            messages.set(JAVA_LONG, message + MSG_IOVLEN_OFFSET, 1);
            messages.set(ADDRESS, message + MSG_CONTROL_OFFSET, controls.asSlice(controlOffset(i), controlSize));
        }
        used = count;
        prepareToReceive();
    }

    /**
     * A batch of {@code count} messages of up to {@code frameSize} bytes, each with
     * {@code controlSize} bytes for control messages (e.g.
     * {@code MessageLayouts.cmsgSpace(TimestampingLayouts.SCM_TIMESTAMPING.byteSize())}, or 0).
     */
    public static MessageBatch allocate(Arena arena, int count, int frameSize, int controlSize) {
        if (count < 1 || frameSize < 1 || controlSize < 0) {
            throw new IllegalArgumentException(
                "a message batch needs count >= 1, frameSize >= 1, controlSize >= 0; got "
                    + count + ", " + frameSize + ", " + controlSize);
        }
        return new MessageBatch(arena, count, frameSize, (int) MessageLayouts.cmsgAlign(controlSize));
    }

    /**
     * Receives up to {@link #count()} datagrams with recvmmsg: the number received, or -1 with
     * {@code state.errno()} set (EAGAIN when non-blocking and nothing is waiting). Hot-path-safe.
     */
    public int receive(CallState state, int fd, int flags) {
        prepareToReceive();
        int received = Syscalls.recvmmsg(state, fd, messages, count, flags);
        used = Math.max(received, 0);
        return received;
    }

    /**
     * Makes message {@code i} send the first {@code length} bytes of its frame to the IPv4
     * {@code address}:{@code port}; then pass {@link #messages()} to sendmmsg.
     */
    public void prepareToSend(int i, int length, int address, int port) {
        iovecs.set(JAVA_LONG, iovecOffset(i) + IOV_LEN_OFFSET, length);
        SocketLayouts.writeSockaddrIn(names.asSlice(nameOffset(i), nameSize()), address, port);
        long message = messageOffset(i);
        messages.set(JAVA_INT, message + MSG_NAMELEN_OFFSET, (int) nameSize());
        messages.set(JAVA_LONG, message + MSG_CONTROLLEN_OFFSET, 0);
        messages.set(JAVA_INT, message + MSG_FLAGS_OFFSET, 0);
        used = Math.max(used, i + 1);
    }

    /** The {@code mmsghdr} vector to pass to recvmmsg or sendmmsg. */
    public MemorySegment messages() {
        return messages;
    }

    /** How many messages the vector holds. */
    public int count() {
        return count;
    }

    /** Bytes of message {@code i}: received (may exceed the frame if {@link #truncated}) or sent. */
    public int length(int i) {
        return messages.get(JAVA_INT, messageOffset(i) + MSG_LEN_OFFSET);
    }

    /** The {@code msg_flags} the kernel returned for message {@code i}. */
    public int flags(int i) {
        return messages.get(JAVA_INT, messageOffset(i) + MSG_FLAGS_OFFSET);
    }

    /** Whether message {@code i} was longer than its frame ({@code MSG_TRUNC}). */
    public boolean truncated(int i) {
        return (flags(i) & SocketLayouts.MSG_TRUNC) != 0;
    }

    /** All frame buffers, message {@code i}'s at {@link #frameOffset(int)}. */
    public MemorySegment frames() {
        return frames;
    }

    /** Where message {@code i}'s frame starts in {@link #frames()}. */
    public long frameOffset(int i) {
        return (long) i * frameSize;
    }

    /** A view of message {@code i}'s received bytes; allocates the view. */
    public MemorySegment frame(int i) {
        return frames.asSlice(frameOffset(i), Math.min(length(i), frameSize));
    }

    /** The IPv4 source address of received message {@code i}, as a host int. */
    public int sourceAddress(int i) {
        return names.get(SocketLayouts.NET_INT, nameOffset(i) + SocketLayouts.SIN_ADDR_OFFSET);
    }

    /** The UDP source port of received message {@code i}. */
    public int sourcePort(int i) {
        return Short.toUnsignedInt(names.get(SocketLayouts.NET_SHORT, nameOffset(i) + SocketLayouts.SIN_PORT_OFFSET));
    }

    /**
     * The kernel's software receive time of message {@code i} in nanoseconds since the epoch,
     * from {@code SCM_TIMESTAMPNS} or else ts[0] of {@code SCM_TIMESTAMPING}; -1 if neither came.
     */
    public long kernelTimestampNanos(int i) {
        long data = controlMessage(i, SocketLayouts.SCM_TIMESTAMPNS);
        if (data < 0) {
            data = controlMessage(i, SocketLayouts.SCM_TIMESTAMPING);
            if (data < 0 || TimeLayouts.timespecNanos(controls, data + TimestampingLayouts.SOFTWARE_TS_OFFSET) == 0) {
                return -1;
            }
            data += TimestampingLayouts.SOFTWARE_TS_OFFSET;
        }
        return TimeLayouts.timespecNanos(controls, data);
    }

    /** The NIC's receive time of message {@code i} (ts[2] of {@code SCM_TIMESTAMPING}), or -1 if it has none. */
    public long hardwareTimestampNanos(int i) {
        long data = controlMessage(i, SocketLayouts.SCM_TIMESTAMPING);
        if (data < 0) {
            return -1;
        }
        long nanos = TimeLayouts.timespecNanos(controls, data + TimestampingLayouts.HARDWARE_TS_OFFSET);
        return nanos == 0 ? -1 : nanos;
    }

    private long controlMessage(int i, int type) {
        long length = messages.get(JAVA_LONG, messageOffset(i) + MSG_CONTROLLEN_OFFSET);
        return MessageLayouts.findControlMessage(controls, controlOffset(i), length, SocketLayouts.SOL_SOCKET, type);
    }

    private void prepareToReceive() {
        for (int i = 0; i < used; i++) {
            long message = messageOffset(i);
            iovecs.set(JAVA_LONG, iovecOffset(i) + IOV_LEN_OFFSET, frameSize);
            messages.set(JAVA_INT, message + MSG_NAMELEN_OFFSET, (int) nameSize());
            messages.set(JAVA_LONG, message + MSG_CONTROLLEN_OFFSET, controlSize);
            messages.set(JAVA_INT, message + MSG_FLAGS_OFFSET, 0);
        }
    }

    private static long messageOffset(int i) {
        return i * MMSGHDR.byteSize();
    }

    private static long iovecOffset(int i) {
        return i * IOVEC.byteSize();
    }

    private static long nameSize() {
        return SocketLayouts.SOCKADDR_IN.byteSize();
    }

    private static long nameOffset(int i) {
        return i * nameSize();
    }

    private long controlOffset(int i) {
        return (long) i * controlSize;
    }
}
