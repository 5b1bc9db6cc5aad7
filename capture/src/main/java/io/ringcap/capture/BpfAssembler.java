package io.ringcap.capture;

import io.ringcap.linux.BpfLayouts;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes eBPF machine code ({@code struct bpf_insn}, 8 bytes each) with forward and backward jumps to
 * labels and map references, so that ringcap generates its XDP program in Java instead of compiling C.
 * <p>
 * Registers are 0..10 ({@link #R0}…{@link #R10}; R10 is the read-only frame pointer). Methods named
 * after an operation work on all 64 bits; the {@code 32} variants on the low 32 bits (and zero the
 * upper half, as the hardware does). Jump offsets are resolved by {@link #assemble()}: a label used
 * but never placed is an error there, as is a jump further than a signed 16-bit offset reaches.
 * <pre>
 *   bpf_insn:  | code u8 | src:4 dst:4 | off s16 | imm s32 |      code = op | source | class
 *   classes LD 0 LDX 1 ST 2 STX 3 ALU 4 JMP 5 ALU64 7;  sizes W 0x00 H 0x08 B 0x10 DW 0x18
 * </pre>
 */
public final class BpfAssembler {
    public static final int R0 = 0;
    public static final int R1 = 1;
    public static final int R2 = 2;
    public static final int R3 = 3;
    public static final int R4 = 4;
    public static final int R5 = 5;
    public static final int R6 = 6;
    public static final int R7 = 7;
    public static final int R8 = 8;
    public static final int R9 = 9;
    public static final int R10 = 10;

    static final int CLASS_LD = 0x00;
    static final int CLASS_LDX = 0x01;
    static final int CLASS_ST = 0x02;
    static final int CLASS_STX = 0x03;
    static final int CLASS_ALU = 0x04;
    static final int CLASS_JMP = 0x05;
    static final int CLASS_ALU64 = 0x07;
    static final int SOURCE_IMMEDIATE = 0x00;
    static final int SOURCE_REGISTER = 0x08;
    static final int MODE_IMM = 0x00;
    static final int MODE_MEM = 0x60;
    static final int MODE_ATOMIC = 0xc0;
    static final int OP_END = 0xd0;
    static final int OP_CALL = 0x80;
    static final int OP_EXIT = 0x90;
    static final int ATOMIC_ADD = 0x00;
    /** src_reg of a 64-bit immediate load whose value is a map's file descriptor. */
    static final int PSEUDO_MAP_FD = 1;
    /** src_reg of a call whose imm is a kernel function's BTF type id. */
    static final int PSEUDO_KFUNC_CALL = 2;

    /** Access sizes. */
    public enum Size {
        BYTE(0x10, 1), HALF(0x08, 2), WORD(0x00, 4), DOUBLE(0x18, 8);

        final int code;
        final int bytes;

        Size(int code, int bytes) {
            this.code = code;
            this.bytes = bytes;
        }
    }

    /** Arithmetic and logic operations. */
    public enum Alu {
        ADD(0x00), SUB(0x10), MUL(0x20), DIV(0x30), OR(0x40), AND(0x50), LSH(0x60), RSH(0x70), MOD(0x90),
        XOR(0xa0), MOV(0xb0), ARSH(0xc0);

        final int code;

        Alu(int code) {
            this.code = code;
        }
    }

    /** Conditional jumps; the S variants compare signed. */
    public enum Jump {
        JEQ(0x10), JGT(0x20), JGE(0x30), JSET(0x40), JNE(0x50), JSGT(0x60), JSGE(0x70), JLT(0xa0), JLE(0xb0),
        JSLT(0xc0), JSLE(0xd0);

        final int code;

        Jump(int code) {
            this.code = code;
        }
    }

    /** A place in the program that jumps go to; placed once with {@link #place}. */
    public static final class Label {
        private final String name;
        private int index = -1;

        private Label(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private record Fixup(int instruction, Label target) {
    }

    private byte[] code = new byte[64 * 8];
    private int count;
    private final List<Fixup> fixups = new ArrayList<>();

    /** A new label, not yet placed; {@code name} is for error messages. */
    public Label label(String name) {
        return new Label(name);
    }

    /** Places {@code label} at the next instruction. */
    public BpfAssembler place(Label label) {
        if (label.index >= 0) {
            throw new IllegalStateException("label '" + label + "' is placed twice");
        }
        label.index = count;
        return this;
    }

    /** {@code dst = src} (64 bits). */
    public BpfAssembler mov(int dst, int src) {
        return alu(Alu.MOV, dst, src);
    }

    /** {@code dst = imm}, sign-extended to 64 bits. */
    public BpfAssembler movImm(int dst, int imm) {
        return aluImm(Alu.MOV, dst, imm);
    }

    /** {@code dst = dst op src} on 64 bits. */
    public BpfAssembler alu(Alu op, int dst, int src) {
        return emit(CLASS_ALU64 | SOURCE_REGISTER | op.code, dst, src, 0, 0);
    }

    /** {@code dst = dst op imm} on 64 bits, {@code imm} sign-extended. */
    public BpfAssembler aluImm(Alu op, int dst, int imm) {
        return emit(CLASS_ALU64 | SOURCE_IMMEDIATE | op.code, dst, 0, 0, imm);
    }

    /** {@code dst = dst op src} on the low 32 bits, the upper 32 zeroed. */
    public BpfAssembler alu32(Alu op, int dst, int src) {
        return emit(CLASS_ALU | SOURCE_REGISTER | op.code, dst, src, 0, 0);
    }

    /** {@code dst = dst op imm} on the low 32 bits, the upper 32 zeroed. */
    public BpfAssembler alu32Imm(Alu op, int dst, int imm) {
        return emit(CLASS_ALU | SOURCE_IMMEDIATE | op.code, dst, 0, 0, imm);
    }

    /** Converts the low {@code bits} (16, 32 or 64) of {@code dst} between host and network byte order. */
    public BpfAssembler byteSwapToBigEndian(int dst, int bits) {
        if (bits != 16 && bits != 32 && bits != 64) {
            throw new IllegalArgumentException("byte swap of " + bits + " bits: 16, 32 or 64");
        }
        return emit(CLASS_ALU | SOURCE_REGISTER | OP_END, dst, 0, 0, bits);
    }

    /** {@code dst = *(size *)(src + off)}, zero-extended. */
    public BpfAssembler load(Size size, int dst, int src, int off) {
        return emit(CLASS_LDX | MODE_MEM | size.code, dst, src, off, 0);
    }

    /** {@code *(size *)(dst + off) = src}. */
    public BpfAssembler store(Size size, int dst, int off, int src) {
        return emit(CLASS_STX | MODE_MEM | size.code, dst, src, off, 0);
    }

    /** {@code *(size *)(dst + off) = imm}. */
    public BpfAssembler storeImm(Size size, int dst, int off, int imm) {
        return emit(CLASS_ST | MODE_MEM | size.code, dst, 0, off, imm);
    }

    /** {@code lock *(size *)(dst + off) += src}; {@code size} is WORD or DOUBLE. */
    public BpfAssembler atomicAdd(Size size, int dst, int off, int src) {
        if (size != Size.WORD && size != Size.DOUBLE) {
            throw new IllegalArgumentException("atomic add works on WORD or DOUBLE, not " + size);
        }
        return emit(CLASS_STX | MODE_ATOMIC | size.code, dst, src, off, ATOMIC_ADD);
    }

    /** {@code dst = value}: the one instruction that takes two slots. */
    public BpfAssembler loadImm64(int dst, long value) {
        return loadImm64(dst, 0, value);
    }

    /** {@code dst = the map behind file descriptor fd}, resolved by the kernel at load time. */
    public BpfAssembler loadMap(int dst, int mapFd) {
        return loadImm64(dst, PSEUDO_MAP_FD, mapFd);
    }

    /** Jumps to {@code target} always. */
    public BpfAssembler jump(Label target) {
        fixups.add(new Fixup(count, target));
        return emit(CLASS_JMP, 0, 0, 0, 0);
    }

    /** Jumps to {@code target} if {@code dst op src}. */
    public BpfAssembler jumpIf(Jump op, int dst, int src, Label target) {
        fixups.add(new Fixup(count, target));
        return emit(CLASS_JMP | SOURCE_REGISTER | op.code, dst, src, 0, 0);
    }

    /** Jumps to {@code target} if {@code dst op imm}. */
    public BpfAssembler jumpIfImm(Jump op, int dst, int imm, Label target) {
        fixups.add(new Fixup(count, target));
        return emit(CLASS_JMP | SOURCE_IMMEDIATE | op.code, dst, 0, 0, imm);
    }

    /** Calls BPF helper {@code helperId} (arguments in R1..R5, result in R0, R1..R5 clobbered). */
    public BpfAssembler call(int helperId) {
        return emit(CLASS_JMP | OP_CALL, 0, 0, 0, helperId);
    }

    /** Calls the kernel function whose BTF type id in vmlinux is {@code btfId}. */
    public BpfAssembler callKernelFunction(int btfId) {
        return emit(CLASS_JMP | OP_CALL, 0, PSEUDO_KFUNC_CALL, 0, btfId);
    }

    /** Returns R0. */
    public BpfAssembler exit() {
        return emit(CLASS_JMP | OP_EXIT, 0, 0, 0, 0);
    }

    /** Instructions written so far (a 64-bit immediate load counts two). */
    public int instructionCount() {
        return count;
    }

    /**
     * The program: every jump resolved.
     *
     * @throws IllegalStateException if a label was used but never placed, or a jump is out of reach
     */
    public byte[] assemble() {
        byte[] program = Arrays.copyOf(code, count * 8);
        for (Fixup fixup : fixups) {
            if (fixup.target.index < 0) {
                throw new IllegalStateException("label '" + fixup.target + "' is jumped to but never placed");
            }
            int offset = fixup.target.index - (fixup.instruction + 1);
            if (offset < Short.MIN_VALUE || offset > Short.MAX_VALUE) {
                throw new IllegalStateException("jump to '" + fixup.target + "' spans " + offset + " instructions");
            }
            int at = fixup.instruction * 8;
            program[at + 2] = (byte) offset;
            program[at + 3] = (byte) (offset >> 8);
        }
        return program;
    }

    /** The program in native memory of {@code arena}, as bpf(BPF_PROG_LOAD) takes it. */
    public MemorySegment assemble(Arena arena) {
        return toNative(assemble(), arena);
    }

    /** An assembled {@code program} copied into native memory of {@code arena}, as bpf(BPF_PROG_LOAD) takes it. */
    public static MemorySegment toNative(byte[] program, Arena arena) {
        MemorySegment insns = arena.allocate(BpfLayouts.BPF_INSN, program.length / 8);
        MemorySegment.copy(MemorySegment.ofArray(program), 0, insns, 0, program.length);
        return insns;
    }

    private BpfAssembler loadImm64(int dst, int src, long value) {
        emit(CLASS_LD | MODE_IMM | Size.DOUBLE.code, dst, src, 0, (int) value);
        return emit(0, 0, 0, 0, (int) (value >>> 32));
    }

    private BpfAssembler emit(int opcode, int dst, int src, int off, int imm) {
        checkRegister(dst);
        checkRegister(src);
        if (off < Short.MIN_VALUE || off > Short.MAX_VALUE) {
            throw new IllegalArgumentException("offset " + off + " does not fit 16 bits");
        }
        if (count * 8 == code.length) {
            code = Arrays.copyOf(code, code.length * 2);
        }
        int at = count * 8;
        code[at] = (byte) opcode;
        code[at + 1] = (byte) (src << 4 | dst);
        code[at + 2] = (byte) off;
        code[at + 3] = (byte) (off >> 8);
        code[at + 4] = (byte) imm;
        code[at + 5] = (byte) (imm >> 8);
        code[at + 6] = (byte) (imm >> 16);
        code[at + 7] = (byte) (imm >> 24);
        count++;
        return this;
    }

    private static void checkRegister(int register) {
        if (register < 0 || register > R10) {
            throw new IllegalArgumentException("register r" + register + " does not exist (r0..r10)");
        }
    }
}
