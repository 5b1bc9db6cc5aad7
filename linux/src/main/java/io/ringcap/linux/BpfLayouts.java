package io.ringcap.linux;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.UnionLayout;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code union bpf_attr} for the bpf(2) commands ringcap uses, the commands and types, and
 * {@code struct bpf_insn} (from {@code <linux/bpf.h>} of Linux 6.1, where the union is 144 bytes).
 * <p>
 * Each command reads its own struct at the start of the union; the kernel rejects non-zero bytes
 * beyond the fields it knows, so every writer here zeroes the whole attribute first. Pointers are
 * passed as {@code u64} addresses.
 * <pre>
 * MAP_CREATE             MAP_*_ELEM         PROG_LOAD                OBJ_PIN/GET       PROG_TEST_RUN        LINK_CREATE
 *  0 map_type             0 map_fd           0 prog_type              0 pathname u64    0 prog_fd  4 retval  0 prog_fd
 *  4 key_size             8 key u64          4 insn_cnt               8 bpf_fd          8 data_size_in       4 target_fd|ifindex
 *  8 value_size          16 value|next_key   8 insns u64             12 file_flags     12 data_size_out      8 attach_type
 * 12 max_entries         24 flags u64       16 license u64                             16 data_in u64       12 flags
 * 16 map_flags                              24 log_level 28 log_size                   24 data_out u64
 * 20 inner_map_fd                           32 log_buf u64                             32 repeat 36 duration
 * 24 numa_node                              40 kern_version 44 prog_flags              40 ctx_size_in/out
 * 28 map_name[16]                           48 prog_name[16]                           48 ctx_in 56 ctx_out
 * 44 map_ifindex …                          64 prog_ifindex 68 expected_attach_type    64 flags 68 cpu
 * </pre>
 * <pre>
 * struct bpf_insn (8): 0 code u8 | 1 dst_reg:4 (low nibble), src_reg:4 (high) | 2 off s16 | 4 imm s32
 * </pre>
 */
public final class BpfLayouts {
    public static final int BPF_MAP_CREATE = 0;
    public static final int BPF_MAP_LOOKUP_ELEM = 1;
    public static final int BPF_MAP_UPDATE_ELEM = 2;
    public static final int BPF_MAP_DELETE_ELEM = 3;
    public static final int BPF_MAP_GET_NEXT_KEY = 4;
    public static final int BPF_PROG_LOAD = 5;
    public static final int BPF_OBJ_PIN = 6;
    public static final int BPF_OBJ_GET = 7;
    public static final int BPF_PROG_TEST_RUN = 10;
    public static final int BPF_LINK_CREATE = 28;

    public static final int BPF_MAP_TYPE_HASH = 1;
    public static final int BPF_MAP_TYPE_ARRAY = 2;
    public static final int BPF_MAP_TYPE_PERCPU_ARRAY = 6;
    public static final int BPF_MAP_TYPE_LPM_TRIE = 11;
    /** Redirect target of an XDP program: AF_XDP sockets by queue index. */
    public static final int BPF_MAP_TYPE_XSKMAP = 17;

    public static final int BPF_PROG_TYPE_SOCKET_FILTER = 1;
    public static final int BPF_PROG_TYPE_XDP = 6;
    /** Attach type of XDP programs for BPF_LINK_CREATE. */
    public static final int BPF_XDP = 37;

    /** Map update flags. */
    public static final long BPF_ANY = 0;
    public static final long BPF_NOEXIST = 1;
    public static final long BPF_EXIST = 2;
    public static final int BPF_F_NO_PREALLOC = 1;
    public static final int BPF_F_RDONLY_PROG = 1 << 7;
    public static final int BPF_F_XDP_HAS_FRAGS = 1 << 5;
    /** prog_flags: the XDP program is bound to {@code prog_ifindex} to call that device's kfuncs, not offloaded. */
    public static final int BPF_F_XDP_DEV_BOUND_ONLY = 1 << 6;

    /** XDP link/attach flags. */
    public static final int XDP_FLAGS_UPDATE_IF_NOEXIST = 1;
    public static final int XDP_FLAGS_SKB_MODE = 1 << 1;
    public static final int XDP_FLAGS_DRV_MODE = 1 << 2;
    public static final int XDP_FLAGS_HW_MODE = 1 << 3;

    /** XDP program results. */
    public static final int XDP_ABORTED = 0;
    public static final int XDP_DROP = 1;
    public static final int XDP_PASS = 2;
    public static final int XDP_TX = 3;
    public static final int XDP_REDIRECT = 4;

    /** Bytes of map and program names, including the NUL. */
    public static final int BPF_OBJ_NAME_LEN = 16;

    /** {@code struct bpf_insn}. */
    public static final StructLayout BPF_INSN = MemoryLayout.structLayout(
        JAVA_BYTE.withName("code"),
        JAVA_BYTE.withName("regs"),
        JAVA_SHORT.withName("off"),
        JAVA_INT.withName("imm"));

    /** The BPF_MAP_CREATE part of {@code bpf_attr}. */
    public static final StructLayout MAP_CREATE = MemoryLayout.structLayout(
        JAVA_INT.withName("map_type"),
        JAVA_INT.withName("key_size"),
        JAVA_INT.withName("value_size"),
        JAVA_INT.withName("max_entries"),
        JAVA_INT.withName("map_flags"),
        JAVA_INT.withName("inner_map_fd"),
        JAVA_INT.withName("numa_node"),
        MemoryLayout.sequenceLayout(BPF_OBJ_NAME_LEN, JAVA_BYTE).withName("map_name"),
        JAVA_INT.withName("map_ifindex"),
        JAVA_INT.withName("btf_fd"),
        JAVA_INT.withName("btf_key_type_id"),
        JAVA_INT.withName("btf_value_type_id"),
        JAVA_INT.withName("btf_vmlinux_value_type_id"),
        JAVA_LONG.withName("map_extra"));

    /** The BPF_MAP_*_ELEM part of {@code bpf_attr}. */
    public static final StructLayout MAP_ELEM = MemoryLayout.structLayout(
        JAVA_INT.withName("map_fd"),
        MemoryLayout.paddingLayout(4),
        JAVA_LONG.withName("key"),
        JAVA_LONG.withName("value"),
        JAVA_LONG.withName("flags"));

    /** The BPF_PROG_LOAD part of {@code bpf_attr}, up to the fields ringcap sets. */
    public static final StructLayout PROG_LOAD = MemoryLayout.structLayout(
        JAVA_INT.withName("prog_type"),
        JAVA_INT.withName("insn_cnt"),
        JAVA_LONG.withName("insns"),
        JAVA_LONG.withName("license"),
        JAVA_INT.withName("log_level"),
        JAVA_INT.withName("log_size"),
        JAVA_LONG.withName("log_buf"),
        JAVA_INT.withName("kern_version"),
        JAVA_INT.withName("prog_flags"),
        MemoryLayout.sequenceLayout(BPF_OBJ_NAME_LEN, JAVA_BYTE).withName("prog_name"),
        JAVA_INT.withName("prog_ifindex"),
        JAVA_INT.withName("expected_attach_type"));

    /** The BPF_OBJ_PIN/BPF_OBJ_GET part of {@code bpf_attr}. */
    public static final StructLayout OBJ = MemoryLayout.structLayout(
        JAVA_LONG.withName("pathname"),
        JAVA_INT.withName("bpf_fd"),
        JAVA_INT.withName("file_flags"));

    /** The BPF_PROG_TEST_RUN part of {@code bpf_attr}. */
    public static final StructLayout TEST_RUN = MemoryLayout.structLayout(
        JAVA_INT.withName("prog_fd"),
        JAVA_INT.withName("retval"),
        JAVA_INT.withName("data_size_in"),
        JAVA_INT.withName("data_size_out"),
        JAVA_LONG.withName("data_in"),
        JAVA_LONG.withName("data_out"),
        JAVA_INT.withName("repeat"),
        JAVA_INT.withName("duration"),
        JAVA_INT.withName("ctx_size_in"),
        JAVA_INT.withName("ctx_size_out"),
        JAVA_LONG.withName("ctx_in"),
        JAVA_LONG.withName("ctx_out"),
        JAVA_INT.withName("flags"),
        JAVA_INT.withName("cpu"),
        JAVA_INT.withName("batch_size"),
        MemoryLayout.paddingLayout(4));

    /** The BPF_LINK_CREATE part of {@code bpf_attr}, without the per-attach-type union. */
    public static final StructLayout LINK_CREATE = MemoryLayout.structLayout(
        JAVA_INT.withName("prog_fd"),
        JAVA_INT.withName("target_fd"),
        JAVA_INT.withName("attach_type"),
        JAVA_INT.withName("flags"));

    /** {@code union bpf_attr}, 144 bytes in the Linux 6.1 headers. */
    public static final UnionLayout BPF_ATTR = MemoryLayout.unionLayout(
        MAP_CREATE.withName("map_create"),
        MAP_ELEM.withName("map_elem"),
        PROG_LOAD.withName("prog_load"),
        OBJ.withName("obj"),
        TEST_RUN.withName("test"),
        LINK_CREATE.withName("link_create"),
        MemoryLayout.sequenceLayout(144, JAVA_BYTE).withName("bytes"));

    public static final long MAP_TYPE_OFFSET = MAP_CREATE.byteOffset(groupElement("map_type"));
    public static final long KEY_SIZE_OFFSET = MAP_CREATE.byteOffset(groupElement("key_size"));
    public static final long VALUE_SIZE_OFFSET = MAP_CREATE.byteOffset(groupElement("value_size"));
    public static final long MAX_ENTRIES_OFFSET = MAP_CREATE.byteOffset(groupElement("max_entries"));
    public static final long MAP_FLAGS_OFFSET = MAP_CREATE.byteOffset(groupElement("map_flags"));
    public static final long MAP_NAME_OFFSET = MAP_CREATE.byteOffset(groupElement("map_name"));
    public static final long MAP_IFINDEX_OFFSET = MAP_CREATE.byteOffset(groupElement("map_ifindex"));

    public static final long ELEM_MAP_FD_OFFSET = MAP_ELEM.byteOffset(groupElement("map_fd"));
    public static final long ELEM_KEY_OFFSET = MAP_ELEM.byteOffset(groupElement("key"));
    public static final long ELEM_VALUE_OFFSET = MAP_ELEM.byteOffset(groupElement("value"));
    public static final long ELEM_FLAGS_OFFSET = MAP_ELEM.byteOffset(groupElement("flags"));

    public static final long PROG_TYPE_OFFSET = PROG_LOAD.byteOffset(groupElement("prog_type"));
    public static final long INSN_CNT_OFFSET = PROG_LOAD.byteOffset(groupElement("insn_cnt"));
    public static final long INSNS_OFFSET = PROG_LOAD.byteOffset(groupElement("insns"));
    public static final long LICENSE_OFFSET = PROG_LOAD.byteOffset(groupElement("license"));
    public static final long LOG_LEVEL_OFFSET = PROG_LOAD.byteOffset(groupElement("log_level"));
    public static final long LOG_SIZE_OFFSET = PROG_LOAD.byteOffset(groupElement("log_size"));
    public static final long LOG_BUF_OFFSET = PROG_LOAD.byteOffset(groupElement("log_buf"));
    public static final long PROG_FLAGS_OFFSET = PROG_LOAD.byteOffset(groupElement("prog_flags"));
    public static final long PROG_NAME_OFFSET = PROG_LOAD.byteOffset(groupElement("prog_name"));
    public static final long PROG_IFINDEX_OFFSET = PROG_LOAD.byteOffset(groupElement("prog_ifindex"));
    public static final long EXPECTED_ATTACH_TYPE_OFFSET = PROG_LOAD.byteOffset(groupElement("expected_attach_type"));

    public static final long PATHNAME_OFFSET = OBJ.byteOffset(groupElement("pathname"));
    public static final long OBJ_BPF_FD_OFFSET = OBJ.byteOffset(groupElement("bpf_fd"));
    public static final long OBJ_FILE_FLAGS_OFFSET = OBJ.byteOffset(groupElement("file_flags"));

    public static final long TEST_PROG_FD_OFFSET = TEST_RUN.byteOffset(groupElement("prog_fd"));
    public static final long TEST_RETVAL_OFFSET = TEST_RUN.byteOffset(groupElement("retval"));
    public static final long TEST_DATA_SIZE_IN_OFFSET = TEST_RUN.byteOffset(groupElement("data_size_in"));
    public static final long TEST_DATA_SIZE_OUT_OFFSET = TEST_RUN.byteOffset(groupElement("data_size_out"));
    public static final long TEST_DATA_IN_OFFSET = TEST_RUN.byteOffset(groupElement("data_in"));
    public static final long TEST_DATA_OUT_OFFSET = TEST_RUN.byteOffset(groupElement("data_out"));
    public static final long TEST_REPEAT_OFFSET = TEST_RUN.byteOffset(groupElement("repeat"));
    public static final long TEST_DURATION_OFFSET = TEST_RUN.byteOffset(groupElement("duration"));

    public static final long LINK_PROG_FD_OFFSET = LINK_CREATE.byteOffset(groupElement("prog_fd"));
    public static final long LINK_TARGET_OFFSET = LINK_CREATE.byteOffset(groupElement("target_fd"));
    public static final long LINK_ATTACH_TYPE_OFFSET = LINK_CREATE.byteOffset(groupElement("attach_type"));
    public static final long LINK_FLAGS_OFFSET = LINK_CREATE.byteOffset(groupElement("flags"));

    private BpfLayouts() {
    }

    /** Fills {@code attr} for BPF_MAP_CREATE; {@code name} is at most 15 ASCII characters. */
    public static void writeMapCreate(
        MemorySegment attr, int mapType, int keySize, int valueSize, int maxEntries, int mapFlags, String name) {
        attr.fill((byte) 0);
        attr.set(JAVA_INT, MAP_TYPE_OFFSET, mapType);
        attr.set(JAVA_INT, KEY_SIZE_OFFSET, keySize);
        attr.set(JAVA_INT, VALUE_SIZE_OFFSET, valueSize);
        attr.set(JAVA_INT, MAX_ENTRIES_OFFSET, maxEntries);
        attr.set(JAVA_INT, MAP_FLAGS_OFFSET, mapFlags);
        writeName(attr, MAP_NAME_OFFSET, name);
    }

    /**
     * Fills {@code attr} for BPF_MAP_LOOKUP/UPDATE/DELETE_ELEM and GET_NEXT_KEY: {@code value} is the
     * value or, for GET_NEXT_KEY, the next key; {@link MemorySegment#NULL} where a command takes none.
     */
    public static void writeMapElement(
        MemorySegment attr, int mapFd, MemorySegment key, MemorySegment value, long flags) {
        attr.fill((byte) 0);
        attr.set(JAVA_INT, ELEM_MAP_FD_OFFSET, mapFd);
        attr.set(JAVA_LONG, ELEM_KEY_OFFSET, key.address());
        attr.set(JAVA_LONG, ELEM_VALUE_OFFSET, value.address());
        attr.set(JAVA_LONG, ELEM_FLAGS_OFFSET, flags);
    }

    /**
     * Fills {@code attr} for BPF_PROG_LOAD of the instructions in {@code insns} (8 bytes each)
     * under the NUL-terminated {@code license}; with {@code logLevel} above 0 the verifier writes
     * its log into {@code log} (otherwise pass {@link MemorySegment#NULL}).
     */
    public static void writeProgLoad(
        MemorySegment attr, int progType, MemorySegment insns, MemorySegment license,
        int logLevel, MemorySegment log, String name, int expectedAttachType) {
        attr.fill((byte) 0);
        attr.set(JAVA_INT, PROG_TYPE_OFFSET, progType);
        attr.set(JAVA_INT, INSN_CNT_OFFSET, (int) (insns.byteSize() / BPF_INSN.byteSize()));
        attr.set(JAVA_LONG, INSNS_OFFSET, insns.address());
        attr.set(JAVA_LONG, LICENSE_OFFSET, license.address());
        attr.set(JAVA_INT, LOG_LEVEL_OFFSET, logLevel);
        attr.set(JAVA_INT, LOG_SIZE_OFFSET, (int) log.byteSize());
        attr.set(JAVA_LONG, LOG_BUF_OFFSET, log.address());
        writeName(attr, PROG_NAME_OFFSET, name);
        attr.set(JAVA_INT, EXPECTED_ATTACH_TYPE_OFFSET, expectedAttachType);
    }

    /** Adds to a BPF_PROG_LOAD {@code attr} the device it is bound to and its {@code prog_flags}. */
    public static void writeProgBinding(MemorySegment attr, int ifindex, int progFlags) {
        attr.set(JAVA_INT, PROG_IFINDEX_OFFSET, ifindex);
        attr.set(JAVA_INT, PROG_FLAGS_OFFSET, progFlags);
    }

    /** Fills {@code attr} for BPF_OBJ_PIN ({@code fd} the object) or BPF_OBJ_GET ({@code fd} 0). */
    public static void writeObject(MemorySegment attr, MemorySegment pathname, int fd, int fileFlags) {
        attr.fill((byte) 0);
        attr.set(JAVA_LONG, PATHNAME_OFFSET, pathname.address());
        attr.set(JAVA_INT, OBJ_BPF_FD_OFFSET, fd);
        attr.set(JAVA_INT, OBJ_FILE_FLAGS_OFFSET, fileFlags);
    }

    /** Fills {@code attr} for BPF_PROG_TEST_RUN of a program on {@code dataIn}, output into {@code dataOut}. */
    public static void writeTestRun(
        MemorySegment attr, int progFd, MemorySegment dataIn, MemorySegment dataOut, int repeat) {
        attr.fill((byte) 0);
        attr.set(JAVA_INT, TEST_PROG_FD_OFFSET, progFd);
        attr.set(JAVA_INT, TEST_DATA_SIZE_IN_OFFSET, (int) dataIn.byteSize());
        attr.set(JAVA_INT, TEST_DATA_SIZE_OUT_OFFSET, (int) dataOut.byteSize());
        attr.set(JAVA_LONG, TEST_DATA_IN_OFFSET, dataIn.address());
        attr.set(JAVA_LONG, TEST_DATA_OUT_OFFSET, dataOut.address());
        attr.set(JAVA_INT, TEST_REPEAT_OFFSET, repeat);
    }

    /** Fills {@code attr} for BPF_LINK_CREATE; for XDP the target is an interface index. */
    public static void writeLinkCreate(MemorySegment attr, int progFd, int target, int attachType, int flags) {
        attr.fill((byte) 0);
        attr.set(JAVA_INT, LINK_PROG_FD_OFFSET, progFd);
        attr.set(JAVA_INT, LINK_TARGET_OFFSET, target);
        attr.set(JAVA_INT, LINK_ATTACH_TYPE_OFFSET, attachType);
        attr.set(JAVA_INT, LINK_FLAGS_OFFSET, flags);
    }

    /** Writes instruction {@code index} of a program; registers are 0..10. */
    public static void writeInsn(MemorySegment insns, int index, int code, int dst, int src, int off, int imm) {
        long offset = index * BPF_INSN.byteSize();
        insns.set(JAVA_BYTE, offset, (byte) code);
        insns.set(JAVA_BYTE, offset + 1, (byte) ((src & 0xf) << 4 | (dst & 0xf)));
        insns.set(JAVA_SHORT, offset + 2, (short) off);
        insns.set(JAVA_INT, offset + 4, imm);
    }

    private static void writeName(MemorySegment attr, long offset, String name) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length >= BPF_OBJ_NAME_LEN) {
            throw new IllegalArgumentException(
                "BPF object name '" + name + "' is longer than " + (BPF_OBJ_NAME_LEN - 1) + " characters");
        }
        MemorySegment.copy(bytes, 0, attr, JAVA_BYTE, offset, bytes.length);
    }
}
