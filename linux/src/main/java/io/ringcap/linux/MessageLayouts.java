package io.ringcap.linux;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The message structures of recvmmsg/sendmmsg and their control messages (from
 * {@code <bits/socket.h>}, {@code <linux/uio.h>}), with the {@code CMSG_*} arithmetic.
 * <pre>
 * struct mmsghdr (64 bytes)                      struct cmsghdr (16 bytes), then data
 *  0 +-----------------------------------+         0 +-------------------------------+
 *    | msg_hdr: struct msghdr (56 bytes) |           | cmsg_len    size_t            |
 *    |  0 msg_name        void*          |         8 +---------------+---------------+
 *    |  8 msg_namelen     u32 (+4 pad)   |           | cmsg_level int| cmsg_type int |
 *    | 16 msg_iov         struct iovec*  |        16 +---------------+---------------+
 *    | 24 msg_iovlen      size_t         |           | data (CMSG_DATA), cmsg_len-16 |
 *    | 32 msg_control     void*          |           +-------------------------------+
 *    | 40 msg_controllen  size_t         |           next header at CMSG_ALIGN(cmsg_len)
 *    | 48 msg_flags       int   (+4 pad) |
 * 56 +-----------------------------------+       struct iovec (16 bytes)
 *    | msg_len  u32 (bytes received)     |         0 iov_base void*   8 iov_len size_t
 * 60 +-- 4 pad --------------------------+
 * </pre>
 * recvmmsg overwrites {@code msg_namelen}, {@code msg_controllen} and {@code msg_flags}: reset
 * them before every call ({@link MessageBatch} does).
 */
public final class MessageLayouts {
    /** {@code struct iovec}. */
    public static final StructLayout IOVEC = MemoryLayout.structLayout(
        ADDRESS.withName("iov_base"),
        JAVA_LONG.withName("iov_len"));
    public static final long IOV_BASE_OFFSET = IOVEC.byteOffset(groupElement("iov_base"));
    public static final long IOV_LEN_OFFSET = IOVEC.byteOffset(groupElement("iov_len"));

    /** {@code struct msghdr}. */
    public static final StructLayout MSGHDR = MemoryLayout.structLayout(
        ADDRESS.withName("msg_name"),
        JAVA_INT.withName("msg_namelen"),
        MemoryLayout.paddingLayout(4),
        ADDRESS.withName("msg_iov"),
        JAVA_LONG.withName("msg_iovlen"),
        ADDRESS.withName("msg_control"),
        JAVA_LONG.withName("msg_controllen"),
        JAVA_INT.withName("msg_flags"),
        MemoryLayout.paddingLayout(4));
    public static final long MSG_NAME_OFFSET = MSGHDR.byteOffset(groupElement("msg_name"));
    public static final long MSG_NAMELEN_OFFSET = MSGHDR.byteOffset(groupElement("msg_namelen"));
    public static final long MSG_IOV_OFFSET = MSGHDR.byteOffset(groupElement("msg_iov"));
    public static final long MSG_IOVLEN_OFFSET = MSGHDR.byteOffset(groupElement("msg_iovlen"));
    public static final long MSG_CONTROL_OFFSET = MSGHDR.byteOffset(groupElement("msg_control"));
    public static final long MSG_CONTROLLEN_OFFSET = MSGHDR.byteOffset(groupElement("msg_controllen"));
    public static final long MSG_FLAGS_OFFSET = MSGHDR.byteOffset(groupElement("msg_flags"));

    /** {@code struct mmsghdr}: a {@code msghdr} and the length received or sent. */
    public static final StructLayout MMSGHDR = MemoryLayout.structLayout(
        MSGHDR.withName("msg_hdr"),
        JAVA_INT.withName("msg_len"),
        MemoryLayout.paddingLayout(4));
    public static final long MSG_LEN_OFFSET = MMSGHDR.byteOffset(groupElement("msg_len"));

    /** {@code struct cmsghdr}. */
    public static final StructLayout CMSGHDR = MemoryLayout.structLayout(
        JAVA_LONG.withName("cmsg_len"),
        JAVA_INT.withName("cmsg_level"),
        JAVA_INT.withName("cmsg_type"));
    public static final long CMSG_LEN_OFFSET = CMSGHDR.byteOffset(groupElement("cmsg_len"));
    public static final long CMSG_LEVEL_OFFSET = CMSGHDR.byteOffset(groupElement("cmsg_level"));
    public static final long CMSG_TYPE_OFFSET = CMSGHDR.byteOffset(groupElement("cmsg_type"));
    /** Control messages are aligned to {@code sizeof(size_t)}. */
    public static final int CMSG_ALIGNMENT = 8;
    /** {@code CMSG_DATA(cmsg) - cmsg}. */
    public static final long CMSG_DATA_OFFSET = cmsgAlign(CMSGHDR.byteSize());

    private MessageLayouts() {
    }

    /** {@code CMSG_ALIGN(length)}. */
    public static long cmsgAlign(long length) {
        return (length + CMSG_ALIGNMENT - 1) & -CMSG_ALIGNMENT;
    }

    /** {@code CMSG_LEN(dataLength)}: the {@code cmsg_len} of a message carrying that much data. */
    public static long cmsgLen(long dataLength) {
        return CMSG_DATA_OFFSET + dataLength;
    }

    /** {@code CMSG_SPACE(dataLength)}: the room a message carrying that much data takes in a control buffer. */
    public static long cmsgSpace(long dataLength) {
        return CMSG_DATA_OFFSET + cmsgAlign(dataLength);
    }

    /**
     * The offset in {@code buffer} of the data of the first control message of {@code level} and
     * {@code type} among the {@code controlLength} bytes of control messages at {@code start}, or
     * -1 if there is none. Walks them as {@code CMSG_FIRSTHDR}/{@code CMSG_NXTHDR} do; allocates
     * nothing.
     */
    public static long findControlMessage(MemorySegment buffer, long start, long controlLength, int level, int type) {
        long limit = Math.min(start + controlLength, buffer.byteSize());
        long offset = start;
        while (offset + CMSGHDR.byteSize() <= limit) {
            long length = buffer.get(JAVA_LONG, offset + CMSG_LEN_OFFSET);
            if (length < CMSGHDR.byteSize() || offset + length > limit) {
                return -1;
            }
            if (buffer.get(JAVA_INT, offset + CMSG_LEVEL_OFFSET) == level
                && buffer.get(JAVA_INT, offset + CMSG_TYPE_OFFSET) == type) {
                return offset + CMSG_DATA_OFFSET;
            }
            offset += cmsgAlign(length);
        }
        return -1;
    }
}
