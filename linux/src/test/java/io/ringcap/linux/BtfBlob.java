package io.ringcap.linux;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Builds small BTF blobs for tests: types in the order added (ids from 1), then the string table, behind a
 * 24-byte little-endian header (layout in {@link KernelBtf}). {@link #header} lets a test lie in the header.
 */
final class BtfBlob {
    static final int HEADER = 24;
    static final int INT = 1;
    static final int PTR = 2;
    static final int ARRAY = 3;
    static final int STRUCT = 4;
    static final int UNION = 5;
    static final int ENUM = 6;
    static final int FWD = 7;
    static final int TYPEDEF = 8;
    static final int VOLATILE = 9;
    static final int CONST = 10;
    static final int RESTRICT = 11;
    static final int FUNC = 12;
    static final int FUNC_PROTO = 13;
    static final int VAR = 14;
    static final int DATASEC = 15;
    static final int FLOAT = 16;
    static final int DECL_TAG = 17;
    static final int TYPE_TAG = 18;
    static final int ENUM64 = 19;

    private final ByteArrayOutputStream types = new ByteArrayOutputStream();
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private int count;

    BtfBlob() {
        strings.write(0); // offset 0 is the empty name
    }

    /** Adds {@code name} to the string table (NUL-terminated): its offset. */
    int string(String name) {
        int offset = strings.size();
        strings.writeBytes(name.getBytes(StandardCharsets.US_ASCII));
        strings.write(0);
        return offset;
    }

    /** Adds a type ({@code btf_type} and its trailing u32 words): its id. */
    int type(int kind, String name, int vlen, int sizeOrType, int... trailing) {
        int nameOffset = name.isEmpty() ? 0 : string(name);
        return rawType(nameOffset, kind << 24 | vlen, sizeOrType, trailing);
    }

    /** Adds a type with exactly the given {@code name_off} and {@code info} words. */
    int rawType(int nameOffset, int info, int sizeOrType, int... trailing) {
        ByteBuffer type = ByteBuffer.allocate(12 + 4 * trailing.length).order(ByteOrder.LITTLE_ENDIAN);
        type.putInt(nameOffset).putInt(info).putInt(sizeOrType);
        for (int word : trailing) {
            type.putInt(word);
        }
        types.writeBytes(type.array());
        return ++count;
    }

    int typeBytes() {
        return types.size();
    }

    int stringBytes() {
        return strings.size();
    }

    /** Header, types, strings, with a truthful header. */
    byte[] build() {
        return header(0xeB9F, HEADER, 0, types.size(), types.size(), strings.size());
    }

    /** Header with the given fields, then types, then strings; the types start right after the 24 bytes. */
    byte[] header(int magic, int headerLength, int typeOffset, int typeLength, int stringOffset, int stringLength) {
        ByteBuffer blob = ByteBuffer.allocate(HEADER + types.size() + strings.size()).order(ByteOrder.LITTLE_ENDIAN);
        blob.putShort((short) magic).put((byte) 1).put((byte) 0)
            .putInt(headerLength).putInt(typeOffset).putInt(typeLength).putInt(stringOffset).putInt(stringLength)
            .put(types.toByteArray()).put(strings.toByteArray());
        return blob.array();
    }
}
