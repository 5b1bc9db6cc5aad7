package io.ringcap.linux;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * capget/capset structures, capability numbers and the prctl options around privilege (from
 * {@code <linux/capability.h>}, {@code <linux/prctl.h>}).
 * <pre>
 * __user_cap_header_struct (8)     __user_cap_data_struct (12), two of them for version 3:
 *  0 version u32 (_V3)              0 effective u32   [0]: capabilities 0..31
 *  4 pid int (0 = calling thread)   4 permitted u32   [1]: capabilities 32..63
 *                                   8 inheritable u32
 * </pre>
 */
public final class CapabilityLayouts {
    /** The 64-bit capability ABI: two data structs per call. */
    public static final int LINUX_CAPABILITY_VERSION_3 = 0x20080522;
    public static final int LINUX_CAPABILITY_U32S_3 = 2;

    public static final int CAP_SETGID = 6;
    public static final int CAP_SETUID = 7;
    public static final int CAP_SETPCAP = 8;
    public static final int CAP_NET_ADMIN = 12;
    public static final int CAP_NET_RAW = 13;
    public static final int CAP_IPC_LOCK = 14;
    public static final int CAP_SYS_ADMIN = 21;
    public static final int CAP_SYS_NICE = 23;
    public static final int CAP_SYS_TIME = 25;
    public static final int CAP_PERFMON = 38;
    public static final int CAP_BPF = 39;

    public static final int PR_SET_DUMPABLE = 4;
    public static final int PR_GET_KEEPCAPS = 7;
    /** Keep permitted capabilities across setuid from root; per thread, cleared by execve. */
    public static final int PR_SET_KEEPCAPS = 8;
    public static final int PR_SET_NAME = 15;
    public static final int PR_CAPBSET_READ = 23;
    public static final int PR_CAPBSET_DROP = 24;
    /** execve can never grant privileges again. */
    public static final int PR_SET_NO_NEW_PRIVS = 38;
    public static final int PR_CAP_AMBIENT = 47;
    public static final int PR_CAP_AMBIENT_CLEAR_ALL = 4;

    /** {@code struct __user_cap_header_struct}. */
    public static final StructLayout CAP_HEADER = MemoryLayout.structLayout(
        JAVA_INT.withName("version"),
        JAVA_INT.withName("pid"));
    public static final long HEADER_VERSION_OFFSET = CAP_HEADER.byteOffset(groupElement("version"));
    public static final long HEADER_PID_OFFSET = CAP_HEADER.byteOffset(groupElement("pid"));

    /** {@code struct __user_cap_data_struct}. */
    public static final StructLayout CAP_DATA = MemoryLayout.structLayout(
        JAVA_INT.withName("effective"),
        JAVA_INT.withName("permitted"),
        JAVA_INT.withName("inheritable"));
    public static final long DATA_EFFECTIVE_OFFSET = CAP_DATA.byteOffset(groupElement("effective"));
    public static final long DATA_PERMITTED_OFFSET = CAP_DATA.byteOffset(groupElement("permitted"));
    public static final long DATA_INHERITABLE_OFFSET = CAP_DATA.byteOffset(groupElement("inheritable"));

    private CapabilityLayouts() {
    }
}
