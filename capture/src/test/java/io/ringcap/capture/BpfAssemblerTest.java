package io.ringcap.capture;

import io.ringcap.capture.BpfAssembler.Alu;
import io.ringcap.capture.BpfAssembler.Jump;
import io.ringcap.capture.BpfAssembler.Label;
import io.ringcap.capture.BpfAssembler.Size;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import static io.ringcap.capture.BpfAssembler.R0;
import static io.ringcap.capture.BpfAssembler.R1;
import static io.ringcap.capture.BpfAssembler.R10;
import static io.ringcap.capture.BpfAssembler.R2;
import static io.ringcap.capture.BpfAssembler.R3;
import static io.ringcap.capture.BpfAssembler.R6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every encoding checked byte for byte against the kernel's
 * Documentation/bpf/standardization/instruction-set.rst: {@code opcode | src:4 dst:4 | offset s16 LE | imm s32 LE}.
 */
class BpfAssemblerTest {
    private final BpfAssembler asm = new BpfAssembler();

    /** The assembled program as "bf 16 00 00 00 00 00 00", instructions separated by " | ". */
    private String assembled() {
        byte[] program = asm.assemble();
        StringBuilder text = new StringBuilder();
        for (int at = 0; at < program.length; at += 8) {
            text.append(at == 0 ? "" : " | ").append(HexFormat.ofDelimiter(" ").formatHex(program, at, at + 8));
        }
        return text.toString();
    }

    @Test
    void movRegisterIsAlu64MovX() {
        asm.mov(R6, R1);
        assertThat(assembled()).isEqualTo("bf 16 00 00 00 00 00 00");
    }

    @Test
    void movImmediateIsAlu64MovK() {
        asm.movImm(R0, 2);
        assertThat(assembled()).isEqualTo("b7 00 00 00 02 00 00 00");
    }

    @Test
    void negativeImmediateIsTwosComplementLittleEndian() {
        asm.movImm(R2, -16);
        assertThat(assembled()).isEqualTo("b7 02 00 00 f0 ff ff ff");
    }

    @Test
    void exitIsJmpExit() {
        asm.exit();
        assertThat(assembled()).isEqualTo("95 00 00 00 00 00 00 00");
    }

    @Test
    void helperCallCarriesTheHelperIdInImm() {
        asm.call(1);
        assertThat(assembled()).isEqualTo("85 00 00 00 01 00 00 00");
    }

    @Test
    void kernelFunctionCallHasSourceTwoAndTheBtfIdInImm() {
        asm.callKernelFunction(0x12345);
        assertThat(assembled()).isEqualTo("85 20 00 00 45 23 01 00");
    }

    @Test
    void loadOfEachSizeIsLdxMem() {
        asm.load(Size.WORD, R2, R1, 4)
            .load(Size.HALF, R2, R1, 4)
            .load(Size.BYTE, R2, R1, 4)
            .load(Size.DOUBLE, R2, R1, 4);
        assertThat(assembled()).isEqualTo("61 12 04 00 00 00 00 00 | 69 12 04 00 00 00 00 00"
            + " | 71 12 04 00 00 00 00 00 | 79 12 04 00 00 00 00 00");
    }

    @Test
    void storeRegisterOfEachSizeIsStxMemWithNegativeOffsetLittleEndian() {
        asm.store(Size.WORD, R10, -8, R3)
            .store(Size.HALF, R10, -8, R3)
            .store(Size.BYTE, R10, -8, R3)
            .store(Size.DOUBLE, R10, -8, R3);
        assertThat(assembled()).isEqualTo("63 3a f8 ff 00 00 00 00 | 6b 3a f8 ff 00 00 00 00"
            + " | 73 3a f8 ff 00 00 00 00 | 7b 3a f8 ff 00 00 00 00");
    }

    @Test
    void storeImmediateIsStMemWithOffsetAndImm() {
        asm.storeImm(Size.HALF, R10, -2, 0x1234)
            .storeImm(Size.WORD, R1, 12, 0x50414352);
        assertThat(assembled()).isEqualTo("6a 0a fe ff 34 12 00 00 | 62 01 0c 00 52 43 41 50");
    }

    @Test
    void loadImm64TakesTwoSlotsLowHalfFirst() {
        asm.loadImm64(R1, 0x1122334455667788L);
        assertThat(asm.instructionCount()).isEqualTo(2);
        assertThat(assembled()).isEqualTo("18 01 00 00 88 77 66 55 | 00 00 00 00 44 33 22 11");
    }

    @Test
    void loadMapIsLddwWithPseudoMapFdSource() {
        asm.loadMap(R1, 7);
        assertThat(asm.instructionCount()).isEqualTo(2);
        assertThat(assembled()).isEqualTo("18 11 00 00 07 00 00 00 | 00 00 00 00 00 00 00 00");
    }

    @Test
    void atomicAddIsStxAtomicWithAddInImm() {
        asm.atomicAdd(Size.DOUBLE, R0, 8, R1)
            .atomicAdd(Size.WORD, R0, 0, R1);
        assertThat(assembled()).isEqualTo("db 10 08 00 00 00 00 00 | c3 10 00 00 00 00 00 00");
    }

    @Test
    void byteSwapToBigEndianIsEndToBeWithWidthInImm() {
        asm.byteSwapToBigEndian(R3, 16)
            .byteSwapToBigEndian(R3, 32)
            .byteSwapToBigEndian(R3, 64);
        assertThat(assembled()).isEqualTo("dc 03 00 00 10 00 00 00 | dc 03 00 00 20 00 00 00"
            + " | dc 03 00 00 40 00 00 00");
    }

    @Test
    void alu64OperationsHaveTheirOpcodes() {
        asm.aluImm(Alu.ADD, R2, -8)
            .alu(Alu.SUB, R1, R2)
            .aluImm(Alu.AND, R3, 0x0f)
            .aluImm(Alu.LSH, R3, 2)
            .aluImm(Alu.RSH, R3, 1)
            .alu(Alu.OR, R3, R1)
            .alu(Alu.XOR, R3, R1)
            .aluImm(Alu.MUL, R3, 3)
            .aluImm(Alu.DIV, R3, 3)
            .aluImm(Alu.MOD, R3, 3)
            .aluImm(Alu.ARSH, R3, 1);
        assertThat(assembled()).isEqualTo("07 02 00 00 f8 ff ff ff | 1f 21 00 00 00 00 00 00"
            + " | 57 03 00 00 0f 00 00 00 | 67 03 00 00 02 00 00 00 | 77 03 00 00 01 00 00 00"
            + " | 4f 13 00 00 00 00 00 00 | af 13 00 00 00 00 00 00 | 27 03 00 00 03 00 00 00"
            + " | 37 03 00 00 03 00 00 00 | 97 03 00 00 03 00 00 00 | c7 03 00 00 01 00 00 00");
    }

    @Test
    void alu32UsesClassAluFour() {
        asm.alu32Imm(Alu.ADD, R2, 1)
            .alu32(Alu.ADD, R2, R3)
            .alu32Imm(Alu.MOV, R0, 2)
            .alu32(Alu.MOV, R0, R1);
        assertThat(assembled()).isEqualTo("04 02 00 00 01 00 00 00 | 0c 32 00 00 00 00 00 00"
            + " | b4 00 00 00 02 00 00 00 | bc 10 00 00 00 00 00 00");
    }

    @Test
    void forwardJumpOffsetCountsFromTheNextInstruction() {
        Label done = asm.label("done");
        asm.jumpIfImm(Jump.JEQ, R3, 0x0008, done)   // 0: target 3 - (0 + 1) = 2
            .movImm(R0, 1)
            .exit()
            .place(done)
            .movImm(R0, 2)
            .exit();
        assertThat(assembled()).startsWith("15 03 02 00 08 00 00 00 | ");
    }

    @Test
    void backwardJumpOffsetIsNegativeLittleEndian() {
        Label top = asm.label("top");
        asm.place(top)
            .aluImm(Alu.ADD, R1, 1)
            .jumpIfImm(Jump.JLT, R1, 10, top)   // 1: target 0 - (1 + 1) = -2
            .exit();
        assertThat(assembled()).isEqualTo("07 01 00 00 01 00 00 00 | a5 01 fe ff 0a 00 00 00"
            + " | 95 00 00 00 00 00 00 00");
    }

    @Test
    void jumpToTheNextInstructionHasOffsetZero() {
        Label next = asm.label("next");
        asm.jump(next).place(next).exit();
        assertThat(assembled()).isEqualTo("05 00 00 00 00 00 00 00 | 95 00 00 00 00 00 00 00");
    }

    @Test
    void jumpOverALoadImm64CountsBothSlots() {
        Label after = asm.label("after");
        asm.jump(after).loadMap(R1, 3).place(after).exit();
        assertThat(assembled()).startsWith("05 00 02 00 00 00 00 00 | ");
    }

    @Test
    void registerJumpsHaveSourceBitAndBothRegisters() {
        Label target = asm.label("target");
        asm.jumpIf(Jump.JGT, R2, R3, target)
            .jumpIf(Jump.JEQ, R2, R3, target)
            .jumpIfImm(Jump.JNE, R0, 0, target)
            .jumpIfImm(Jump.JSET, R1, 0x20, target)
            .jumpIfImm(Jump.JGE, R1, 1, target)
            .jumpIf(Jump.JSGT, R1, R2, target)
            .place(target)
            .exit();
        assertThat(assembled()).isEqualTo("2d 32 05 00 00 00 00 00 | 1d 32 04 00 00 00 00 00"
            + " | 55 00 03 00 00 00 00 00 | 45 01 02 00 20 00 00 00 | 35 01 01 00 01 00 00 00"
            + " | 6d 21 00 00 00 00 00 00 | 95 00 00 00 00 00 00 00");
    }

    @Test
    void programLongerThanTheInitialBufferKeepsEveryInstruction() {
        for (int i = 0; i < 200; i++) {
            asm.movImm(R0, i);
        }
        byte[] program = asm.assemble();
        assertThat(program).hasSize(200 * 8);
        assertThat(program[199 * 8 + 4]).isEqualTo((byte) 199);
    }

    @Test
    void labelJumpedToButNeverPlacedFailsAtAssembly() {
        asm.jump(asm.label("nowhere")).exit();
        assertThatThrownBy(asm::assemble)
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("label 'nowhere' is jumped to but never placed");
    }

    @Test
    void labelPlacedTwiceIsRefused() {
        Label twice = asm.label("twice");
        asm.place(twice).exit();
        assertThatThrownBy(() -> asm.place(twice))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("label 'twice' is placed twice");
    }

    @Test
    void jumpBeyondSixteenBitsIsRefusedAtAssembly() {
        Label far = asm.label("far");
        asm.jump(far);
        for (int i = 0; i < Short.MAX_VALUE + 1; i++) {
            asm.movImm(R0, 0);
        }
        asm.place(far).exit();
        assertThatThrownBy(asm::assemble)
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("jump to 'far' spans 32768 instructions");
    }

    @Test
    void registerOutOfRangeIsRefused() {
        assertThatThrownBy(() -> asm.mov(11, R1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("register r11 does not exist (r0..r10)");
        assertThatThrownBy(() -> asm.load(Size.WORD, R0, -1, 0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("register r-1 does not exist (r0..r10)");
        assertThat(asm.instructionCount()).isZero();
    }

    @Test
    void offsetBeyondSixteenBitsIsRefused() {
        assertThatThrownBy(() -> asm.load(Size.WORD, R2, R1, 32768))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("offset 32768 does not fit 16 bits");
        assertThatThrownBy(() -> asm.store(Size.WORD, R10, -32769, R1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("offset -32769 does not fit 16 bits");
        asm.load(Size.WORD, R2, R1, -32768);
        assertThat(assembled()).isEqualTo("61 12 00 80 00 00 00 00");
    }

    @Test
    void byteSwapOfEightBitsIsRefused() {
        assertThatThrownBy(() -> asm.byteSwapToBigEndian(R1, 8))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("byte swap of 8 bits: 16, 32 or 64");
    }

    @Test
    void atomicAddOfAByteIsRefused() {
        assertThatThrownBy(() -> asm.atomicAdd(Size.BYTE, R0, 0, R1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("atomic add works on WORD or DOUBLE, not BYTE");
    }
}
