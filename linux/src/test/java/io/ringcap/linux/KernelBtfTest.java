package io.ringcap.linux;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.OptionalInt;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.ringcap.linux.BtfBlob.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class KernelBtfTest {
    /** Trailing words that, read by mistake as a type's info, decode to the unknown kind 31. */
    private static final int FILLER = 0x1f1f1f1f;

    /** A little kernel: int, int *, struct xdp_md, enum xdp_action, int (struct xdp_md *, int *) and its functions. */
    private static BtfBlob kernel() {
        BtfBlob btf = new BtfBlob();
        int integer = btf.type(INT, "int", 0, 4, 0x01000020);                       // 1: signed, 32 bits
        int pointer = btf.type(PTR, "", 0, integer);                                 // 2
        int md = btf.type(STRUCT, "xdp_md", 2, 8,                                   // 3
            btf.string("data"), integer, 0, btf.string("data_end"), integer, 32);
        btf.type(ENUM, "xdp_action", 2, 4, btf.string("XDP_DROP"), 1, btf.string("XDP_PASS"), 2); // 4
        int mdPointer = btf.type(PTR, "", 0, md);                                    // 5
        int proto = btf.type(FUNC_PROTO, "", 2, integer,                             // 6
            btf.string("ctx"), mdPointer, btf.string("timestamp"), pointer);
        btf.type(FUNC, "bpf_xdp_metadata_rx_hash", 1, proto);                         // 7
        btf.type(FUNC, "bpf_xdp_metadata_rx_timestamp", 1, proto);                    // 8
        btf.type(STRUCT, "bpf_prog_run", 0, 0);                                       // 9: a struct, not a function
        return btf;
    }

    @Test
    void functionIdCountsTypesFromOne() {
        byte[] blob = kernel().build();
        assertThat(KernelBtf.functionId(blob, "bpf_xdp_metadata_rx_timestamp")).hasValue(8);
        assertThat(KernelBtf.functionId(blob, "bpf_xdp_metadata_rx_hash")).hasValue(7);
    }

    @Test
    void missingNameIsEmpty() {
        byte[] blob = kernel().build();
        assertThat(KernelBtf.functionId(blob, "no_such_function")).isEmpty();
        assertThat(KernelBtf.functionId(blob, "bpf_xdp_metadata_rx")).as("a prefix of a name").isEmpty();
        assertThat(KernelBtf.functionId(blob, "bpf_xdp_metadata_rx_timestamp2")).as("a name plus more").isEmpty();
    }

    @Test
    void nameOfAStructOrAParameterIsNotAFunction() {
        byte[] blob = kernel().build();
        assertThat(KernelBtf.functionId(blob, "xdp_md")).isEmpty();
        assertThat(KernelBtf.functionId(blob, "bpf_prog_run")).isEmpty();
        assertThat(KernelBtf.functionId(blob, "ctx")).isEmpty();
        assertThat(KernelBtf.functionId(blob, "int")).isEmpty();
    }

    @Test
    void functionWithTheNameOfAnEarlierStructIsFound() {
        BtfBlob btf = new BtfBlob();
        btf.type(STRUCT, "twin", 0, 0);
        int proto = btf.type(FUNC_PROTO, "", 0, 0);
        btf.type(FUNC, "twin", 1, proto);
        assertThat(KernelBtf.functionId(btf.build(), "twin")).hasValue(3);
    }

    static Stream<Arguments> kindsWithTheirTrailingWords() {
        return Stream.of(
            Arguments.of("INT", INT, 0, 1), Arguments.of("PTR", PTR, 0, 0), Arguments.of("ARRAY", ARRAY, 0, 3),
            Arguments.of("STRUCT", STRUCT, 2, 6), Arguments.of("UNION", UNION, 2, 6), Arguments.of("ENUM", ENUM, 2, 4),
            Arguments.of("FWD", FWD, 0, 0), Arguments.of("TYPEDEF", TYPEDEF, 0, 0),
            Arguments.of("VOLATILE", VOLATILE, 0, 0), Arguments.of("CONST", CONST, 0, 0),
            Arguments.of("RESTRICT", RESTRICT, 0, 0), Arguments.of("FUNC", FUNC, 0, 0),
            Arguments.of("FUNC_PROTO", FUNC_PROTO, 2, 4), Arguments.of("VAR", VAR, 0, 1),
            Arguments.of("DATASEC", DATASEC, 2, 6), Arguments.of("FLOAT", FLOAT, 0, 0),
            Arguments.of("DECL_TAG", DECL_TAG, 0, 1), Arguments.of("TYPE_TAG", TYPE_TAG, 0, 0),
            Arguments.of("ENUM64", ENUM64, 2, 6));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kindsWithTheirTrailingWords")
    void functionAfterATypeOfEachKindIsFound(String kindName, int kind, int vlen, int trailingWords) {
        BtfBlob btf = new BtfBlob();
        int[] trailing = new int[trailingWords];
        Arrays.fill(trailing, FILLER);
        btf.type(kind, "other", vlen, 0, trailing);
        btf.type(FUNC, "target", 1, 0);
        assertThat(KernelBtf.functionId(btf.build(), "target")).as(kindName).hasValue(2);
    }

    @Test
    void nameLastInTheStringTableIsFoundAndWithoutItsNulIsNot() {
        BtfBlob btf = new BtfBlob();
        btf.type(FUNC, "last", 1, 0);
        assertThat(KernelBtf.functionId(btf.build(), "last")).hasValue(1);

        byte[] unterminated = btf.header(0xeB9F, HEADER, 0, btf.typeBytes(), btf.typeBytes(), btf.stringBytes() - 1);
        assertThat(KernelBtf.functionId(unterminated, "last")).isEmpty();
    }

    @Test
    void nameOffsetBeyondTheStringTableMatchesNothing() {
        BtfBlob btf = new BtfBlob();
        btf.rawType(0x7fff_fff0, FUNC << 24, 0);
        btf.rawType(-1, FUNC << 24, 0);
        btf.type(FUNC, "f", 1, 0);
        assertThat(KernelBtf.functionId(btf.build(), "f")).hasValue(3);
    }

    @Test
    void sectionsAreCountedFromTheEndOfALongerHeader() {
        BtfBlob btf = new BtfBlob();
        btf.type(FUNC, "f", 1, 0);
        // hdr_len 28: the four bytes after the 24 are a header field we do not know, then the types.
        byte[] blob = btf.header(0xeB9F, 28, 0, btf.typeBytes(), btf.typeBytes(), btf.stringBytes());
        byte[] longer = new byte[blob.length + 4];
        System.arraycopy(blob, 0, longer, 0, HEADER);
        System.arraycopy(blob, HEADER, longer, 28, blob.length - HEADER);
        assertThat(KernelBtf.functionId(longer, "f")).hasValue(1);
    }

    @Test
    void wrongMagicIsRefused() {
        byte[] blob = kernel().build();
        blob[0] = 0x42;
        assertThatThrownBy(() -> KernelBtf.functionId(blob, "f"))
            .isExactlyInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("no magic 0xeB9F");
    }

    @Test
    void bigEndianBtfIsRefused() {
        byte[] blob = kernel().build();
        blob[0] = (byte) 0xeb;
        blob[1] = (byte) 0x9f;
        assertThatThrownBy(() -> KernelBtf.functionId(blob, "f"))
            .isExactlyInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("not little-endian BTF");
    }

    @Test
    void headerCutShortIsRefusedWithItsLength() {
        byte[] blob = Arrays.copyOf(kernel().build(), 10);
        assertThatThrownBy(() -> KernelBtf.functionId(blob, "f"))
            .isExactlyInstanceOf(IllegalArgumentException.class)
            .hasMessage("BTF header cut short: 10 bytes of 24");
        assertThatThrownBy(() -> KernelBtf.functionId(new byte[0], "f"))
            .isExactlyInstanceOf(IllegalArgumentException.class)
            .hasMessage("BTF header cut short: 0 bytes of 24");
    }

    @Test
    void sectionsBeyondTheBlobAreRefused() {
        BtfBlob btf = kernel();
        int types = btf.typeBytes();
        int strings = btf.stringBytes();
        byte[] typesTooLong = btf.header(0xeB9F, HEADER, 0, types + strings + 1, types, strings);
        byte[] stringsTooLong = btf.header(0xeB9F, HEADER, 0, types, types, strings + 1);
        byte[] stringsFarAway = btf.header(0xeB9F, HEADER, 0, types, 0xffff_fff0, strings);
        byte[] headerBeyond = btf.header(0xeB9F, 0x7fff_ffff, 0, 0, 0, 0);
        for (byte[] blob : new byte[][] {typesTooLong, stringsTooLong, stringsFarAway, headerBeyond}) {
            assertThatThrownBy(() -> KernelBtf.functionId(blob, "f"))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("BTF sections lie outside its " + blob.length + " bytes");
        }
    }

    @Test
    void typeHeaderCutShortIsRefused() {
        BtfBlob btf = new BtfBlob();
        btf.type(PTR, "", 0, 0);
        btf.type(PTR, "", 0, 0);
        byte[] blob = btf.header(0xeB9F, HEADER, 0, 12 + 8, btf.typeBytes(), btf.stringBytes());
        assertThatThrownBy(() -> KernelBtf.functionId(blob, "f"))
            .isExactlyInstanceOf(IllegalArgumentException.class)
            .hasMessage("BTF type 2 is cut short at offset 36");
    }

    @Test
    void typeDataCutShortIsRefused() {
        BtfBlob btf = new BtfBlob();
        btf.type(PTR, "", 0, 0);
        btf.type(STRUCT, "s", 2, 8, FILLER, FILLER, FILLER, FILLER, FILLER, FILLER);
        // The struct's second member (12 bytes) is left out of the type section.
        byte[] blob = btf.header(0xeB9F, HEADER, 0, btf.typeBytes() - 12, btf.typeBytes(), btf.stringBytes());
        assertThatThrownBy(() -> KernelBtf.functionId(blob, "f"))
            .isExactlyInstanceOf(IllegalArgumentException.class)
            .hasMessage("BTF type 2 is cut short: its data ends at offset 72, the types at 60");
    }

    @Test
    void hugeMemberCountInASmallBlobIsRefusedNotRead() {
        BtfBlob btf = new BtfBlob();
        btf.type(STRUCT, "s", 0xffff, 8);
        assertThatThrownBy(() -> KernelBtf.functionId(btf.build(), "f"))
            .isExactlyInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("BTF type 1 is cut short");
    }

    @Test
    void unknownKindIsRefused() {
        for (int kind : new int[] {0, 20, 31}) {
            BtfBlob btf = new BtfBlob();
            btf.type(PTR, "", 0, 0);
            btf.type(kind, "", 0, 0);
            btf.type(FUNC, "f", 1, 0);
            assertThatThrownBy(() -> KernelBtf.functionId(btf.build(), "f"))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("BTF type 2 has unknown kind " + kind);
        }
    }

    @Test
    void runningKernelHasTheRxTimestampKfunc() {
        assumeTrue(Files.isReadable(KernelBtf.VMLINUX), "needs " + KernelBtf.VMLINUX + " (CONFIG_DEBUG_INFO_BTF)");
        OptionalInt id = KernelBtf.functionId("bpf_xdp_metadata_rx_timestamp");
        assertThat(id).isPresent();
        assertThat(id.getAsInt()).isPositive();
        assertThat(KernelBtf.functionId("no_such_function_xyz")).isEmpty();
    }
}
