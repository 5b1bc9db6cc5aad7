package io.ringcap.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * The kernel's own type information (BTF, {@code /sys/kernel/btf/vmlinux}), read only to find the type id
 * of a kernel function that a BPF program calls as a kfunc. A BTF blob is a header, then the types one
 * after another (each a 12-byte {@code btf_type} followed by data whose size depends on its kind), then
 * the string table their names point into; type ids count from 1 in the order the types appear.
 * <pre>
 * btf_header (24): magic u16 0xeB9F | version u8 | flags u8 | hdr_len u32 | type_off u32 | type_len u32
 *                  | str_off u32 | str_len u32          (offsets counted from the end of the header)
 * btf_type   (12): name_off u32 | info u32 (vlen bits 0-15, kind bits 24-28) | size_or_type u32
 * </pre>
 */
public final class KernelBtf {
    /** Where the running kernel exposes its BTF (CONFIG_DEBUG_INFO_BTF). */
    public static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");

    private static final int MAGIC = 0xeB9F;
    private static final int HEADER_FIXED = 24;
    private static final int TYPE_SIZE = 12;
    private static final int KIND_FUNC = 12;

    private KernelBtf() {
    }

    /** The BTF type id of the function {@code name} in the running kernel, or empty if it has none. */
    public static OptionalInt functionId(String name) {
        byte[] blob;
        try {
            blob = Files.readAllBytes(VMLINUX);
        } catch (NoSuchFileException e) {
            return OptionalInt.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + VMLINUX, e);
        }
        return functionId(blob, name);
    }

    /**
     * The type id of the function {@code name} in the BTF {@code blob}, or empty if it has none.
     *
     * @throws IllegalArgumentException if the blob is not BTF or is cut short
     */
    static OptionalInt functionId(byte[] blob, String name) {
        ByteBuffer btf = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
        if (blob.length < HEADER_FIXED) {
            throw new IllegalArgumentException("BTF header cut short: " + blob.length + " bytes of " + HEADER_FIXED);
        }
        if (Short.toUnsignedInt(btf.getShort(0)) != MAGIC) {
            throw new IllegalArgumentException("not little-endian BTF (no magic 0xeB9F)");
        }
        long headerLength = Integer.toUnsignedLong(btf.getInt(4));
        long typeStart = headerLength + Integer.toUnsignedLong(btf.getInt(8));
        long typeEnd = typeStart + Integer.toUnsignedLong(btf.getInt(12));
        long stringStart = headerLength + Integer.toUnsignedLong(btf.getInt(16));
        long stringEnd = stringStart + Integer.toUnsignedLong(btf.getInt(20));
        if (headerLength < HEADER_FIXED || typeEnd > blob.length || stringEnd > blob.length) {
            throw new IllegalArgumentException("BTF sections lie outside its " + blob.length + " bytes");
        }
        byte[] wanted = name.getBytes(StandardCharsets.US_ASCII);
        int id = 1;
        for (long at = typeStart; at < typeEnd; id++) {
            if (at + TYPE_SIZE > typeEnd) {
                throw new IllegalArgumentException("BTF type " + id + " is cut short at offset " + at);
            }
            int nameOffset = btf.getInt((int) at);
            int info = btf.getInt((int) at + 4);
            int kind = info >>> 24 & 0x1f;
            int vlen = info & 0xffff;
            if (kind == KIND_FUNC && nameIs(blob, stringStart, stringEnd, Integer.toUnsignedLong(nameOffset), wanted)) {
                return OptionalInt.of(id);
            }
            long next = at + TYPE_SIZE + trailingBytes(kind, vlen, id);
            if (next > typeEnd) {
                throw new IllegalArgumentException("BTF type " + id + " is cut short: its data ends at offset " + next
                    + ", the types at " + typeEnd);
            }
            at = next;
        }
        return OptionalInt.empty();
    }

    /** Bytes of kind-specific data after a {@code btf_type} (from the kernel's btf.rst). */
    private static long trailingBytes(int kind, int vlen, int id) {
        return switch (kind) {
            case 1, 14, 17 -> 4;                       // INT (encoding), VAR (linkage), DECL_TAG (component_idx)
            case 2, 7, 8, 9, 10, 11, 12, 16, 18 -> 0;  // PTR, FWD, TYPEDEF, VOLATILE, CONST, RESTRICT, FUNC, FLOAT, TYPE_TAG
            case 3 -> 12;                              // ARRAY: btf_array
            case 4, 5, 15, 19 -> 12L * vlen;           // STRUCT, UNION (btf_member), DATASEC (var_secinfo), ENUM64
            case 6, 13 -> 8L * vlen;                   // ENUM (btf_enum), FUNC_PROTO (btf_param)
            default -> throw new IllegalArgumentException("BTF type " + id + " has unknown kind " + kind);
        };
    }

    private static boolean nameIs(byte[] blob, long stringStart, long stringEnd, long nameOffset, byte[] wanted) {
        long at = stringStart + nameOffset;
        if (at + wanted.length >= stringEnd) {
            return false;
        }
        for (int i = 0; i < wanted.length; i++) {
            if (blob[(int) at + i] != wanted[i]) {
                return false;
            }
        }
        return blob[(int) at + wanted.length] == 0;
    }
}
