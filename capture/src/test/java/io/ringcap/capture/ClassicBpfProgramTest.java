package io.ringcap.capture;

import io.ringcap.linux.SocketLayouts;
import io.ringcap.linux.Sockets;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each instruction's encoding is checked against the numbers in linux/filter.h and bpf_common.h. */
class ClassicBpfProgramTest {
    @Test
    void loadWordAbsoluteIsLdWAbs() {
        assertEncoding(ClassicBpfProgram.assembler().loadWordAbsolute(30), 0x20, 0, 0, 30);
    }

    @Test
    void loadHalfAbsoluteIsLdHAbs() {
        assertEncoding(ClassicBpfProgram.assembler().loadHalfAbsolute(12), 0x28, 0, 0, 12);
    }

    @Test
    void loadByteAbsoluteIsLdBAbs() {
        assertEncoding(ClassicBpfProgram.assembler().loadByteAbsolute(23), 0x30, 0, 0, 23);
    }

    @Test
    void loadHalfIndirectIsLdHInd() {
        assertEncoding(ClassicBpfProgram.assembler().loadHalfIndirect(16), 0x48, 0, 0, 16);
    }

    @Test
    void loadIpv4HeaderLengthIsLdxBMsh() {
        assertEncoding(ClassicBpfProgram.assembler().loadIpv4HeaderLength(14), 0xB1, 0, 0, 14);
    }

    @Test
    void jumpIfEqualIsJmpJeqKWithBothSkips() {
        assertEncoding(ClassicBpfProgram.assembler().jumpIfEqual(0x800, 3, 255), 0x15, 3, 255, 0x800);
    }

    @Test
    void jumpIfAnySetIsJmpJsetK() {
        assertEncoding(ClassicBpfProgram.assembler().jumpIfAnySet(0x1FFF, 0, 1), 0x45, 0, 1, 0x1FFF);
    }

    @Test
    void returnConstantIsRetK() {
        ClassicBpfProgram program = ClassicBpfProgram.assembler().returnConstant(-1).build();

        assertThat(program.code(0)).isEqualTo(0x06);
        assertThat(program.constant(0)).isEqualTo(-1);
        assertThat(program).hasToString(String.format("(000) ret      #4294967295%n"));
    }

    @Test
    void jumpToALabelCountsTheInstructionsSkipped() {
        ClassicBpfProgram.Assembler bpf = ClassicBpfProgram.assembler();
        ClassicBpfProgram.Label end = bpf.newLabel();
        bpf.jump(end).returnConstant(0).returnConstant(0).bind(end).returnConstant(1);

        ClassicBpfProgram program = bpf.build();

        assertThat(program.code(0)).isEqualTo(0x05);
        assertThat(program.constant(0)).isEqualTo(2);
        assertThat(program.toString()).startsWith(String.format("(000) ja       3%n"));
    }

    @Test
    void instructionsAreEightLittleEndianBytes() {
        byte[] bytes = ClassicBpfProgram.assembler().jumpIfEqual(0x01020304, 7, 9).returnConstant(0x40000).build()
            .toBytes();

        assertThat(bytes).containsExactly(
            0x15, 0x00, 7, 9, 0x04, 0x03, 0x02, 0x01,
            0x06, 0x00, 0, 0, 0x00, 0x00, 0x04, 0x00);
    }

    @Test
    void listingLooksLikeTcpdumpD() {
        ClassicBpfProgram program = ClassicBpfProgram.assembler()
            .loadHalfAbsolute(12).jumpIfEqual(0x800, 0, 3).loadIpv4HeaderLength(14).loadHalfIndirect(16)
            .jumpIfEqual(5000, 0, 1).returnConstant(262144).returnConstant(0).build();

        assertThat(program.toString()).isEqualTo(String.join(System.lineSeparator(),
            "(000) ldh      [12]",
            "(001) jeq      #0x800  jt 2  jf 5",
            "(002) ldxb     4*([14]&0xf)",
            "(003) ldh      [x + 16]",
            "(004) jeq      #0x1388  jt 5  jf 6",
            "(005) ret      #262144",
            "(006) ret      #0",
            ""));
    }

    @Test
    void conditionalJumpsBeyond255AreRefused() {
        assertThatThrownBy(() -> ClassicBpfProgram.assembler().jumpIfEqual(1, 256, 0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("jump to a 'ja'");
    }

    @Test
    void unboundAndBackwardLabelsAreRefused() {
        ClassicBpfProgram.Assembler unbound = ClassicBpfProgram.assembler();
        unbound.jump(unbound.newLabel()).returnConstant(0);
        assertThatThrownBy(unbound::build).hasMessageContaining("never bound");

        ClassicBpfProgram.Assembler backward = ClassicBpfProgram.assembler();
        ClassicBpfProgram.Label start = backward.newLabel();
        backward.bind(start).loadByteAbsolute(0).jump(start).returnConstant(0);
        assertThatThrownBy(backward::build).hasMessageContaining("only jumps forward");
    }

    @Test
    void programsMustEndWithAReturnAndFitTheKernelLimit() {
        assertThatThrownBy(() -> ClassicBpfProgram.assembler().loadByteAbsolute(0).build())
            .hasMessageContaining("must end with a return");
        ClassicBpfProgram.Assembler huge = ClassicBpfProgram.assembler();
        for (int i = 0; i < ClassicBpfProgram.MAX_INSTRUCTIONS; i++) {
            huge.loadByteAbsolute(0);
        }
        huge.returnConstant(0);
        assertThatThrownBy(huge::build).hasMessageContaining("1..4096 instructions");
    }

    @Test
    void kernelAcceptsAnAssembledProgram() {
        ClassicBpfProgram.Assembler bpf = ClassicBpfProgram.assembler();
        ClassicBpfProgram.Label accept = bpf.newLabel();
        bpf.loadHalfAbsolute(12).jumpIfEqual(0x800, 0, 1).jump(accept).returnConstant(0)
            .bind(accept).loadIpv4HeaderLength(14).loadHalfIndirect(16).jumpIfAnySet(1, 0, 1).returnConstant(-1)
            .loadWordAbsolute(30).loadByteAbsolute(23).returnConstant(0);

        attach(bpf.build());
    }

    /** SO_ATTACH_FILTER on an ordinary UDP socket needs no privilege and runs the kernel's checker. */
    static void attach(ClassicBpfProgram program) {
        int fd = Sockets.open(SocketLayouts.AF_INET, SocketLayouts.SOCK_DGRAM | SocketLayouts.SOCK_CLOEXEC, 0);
        try (Arena arena = Arena.ofConfined()) {
            Sockets.setOption(fd, SocketLayouts.SOL_SOCKET, SocketLayouts.SO_ATTACH_FILTER,
                program.writeSocketProgram(arena));
        } finally {
            Sockets.close(fd);
        }
    }

    private static void assertEncoding(ClassicBpfProgram.Assembler instruction, int code, int jt, int jf, int k) {
        ClassicBpfProgram program = instruction.returnConstant(0).build();

        assertThat(program.code(0)).as("code").isEqualTo(code);
        assertThat(program.jumpIfTrue(0)).as("jt").isEqualTo(jt);
        assertThat(program.jumpIfFalse(0)).as("jf").isEqualTo(jf);
        assertThat(program.constant(0)).as("k").isEqualTo(k);
    }
}
