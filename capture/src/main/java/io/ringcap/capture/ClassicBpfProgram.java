package io.ringcap.capture;

import io.ringcap.linux.PacketSocketLayouts;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A classic BPF program ({@code struct sock_filter[]}) for SO_ATTACH_FILTER, built with a tiny assembler
 * that knows the instructions a packet filter needs and resolves forward jumps to labels.
 *
 * <p>Each instruction is {@code {u16 code; u8 jt; u8 jf; u32 k}}; {@code code} is class | size | mode
 * (loads) or class | operation | source (jumps, ALU). Conditional jumps skip {@code jt} or {@code jf}
 * instructions (0..255); {@code ja} skips {@code k}. Jumps only go forward, and a program ends with a
 * return, whose value is how many bytes of the packet to keep (0: drop it). {@link #toString()} lists the
 * program as {@code tcpdump -d} does.
 */
public final class ClassicBpfProgram {
    /** Most instructions the kernel accepts ({@code BPF_MAXINSNS}). */
    public static final int MAX_INSTRUCTIONS = 4096;

    public static final int BPF_LD = 0x00;
    public static final int BPF_LDX = 0x01;
    public static final int BPF_JMP = 0x05;
    public static final int BPF_RET = 0x06;

    public static final int BPF_W = 0x00;
    public static final int BPF_H = 0x08;
    public static final int BPF_B = 0x10;

    public static final int BPF_ABS = 0x20;
    public static final int BPF_IND = 0x40;
    public static final int BPF_MSH = 0xA0;

    public static final int BPF_JA = 0x00;
    public static final int BPF_JEQ = 0x10;
    public static final int BPF_JSET = 0x40;
    public static final int BPF_K = 0x00;

    private static final int MAX_CONDITIONAL_SKIP = 255;

    private final short[] codes;
    private final byte[] jumpsIfTrue;
    private final byte[] jumpsIfFalse;
    private final int[] constants;

    private ClassicBpfProgram(short[] codes, byte[] jumpsIfTrue, byte[] jumpsIfFalse, int[] constants) {
        this.codes = codes;
        this.jumpsIfTrue = jumpsIfTrue;
        this.jumpsIfFalse = jumpsIfFalse;
        this.constants = constants;
    }

    /** An empty assembler. */
    public static Assembler assembler() {
        return new Assembler();
    }

    /** Number of instructions. */
    public int length() {
        return codes.length;
    }

    /** {@code code} of instruction {@code i}. */
    public int code(int i) {
        return Short.toUnsignedInt(codes[i]);
    }

    /** {@code jt} of instruction {@code i}: instructions skipped when the condition holds. */
    public int jumpIfTrue(int i) {
        return Byte.toUnsignedInt(jumpsIfTrue[i]);
    }

    /** {@code jf} of instruction {@code i}: instructions skipped when it does not. */
    public int jumpIfFalse(int i) {
        return Byte.toUnsignedInt(jumpsIfFalse[i]);
    }

    /** {@code k} of instruction {@code i}. */
    public int constant(int i) {
        return constants[i];
    }

    /** The instructions as the kernel reads them: 8 bytes each, in native byte order. */
    public byte[] toBytes() {
        try (Arena arena = Arena.ofConfined()) {
            return writeInstructions(arena).toArray(JAVA_BYTE);
        }
    }

    /**
     * A {@code struct sock_fprog} pointing at a copy of the instructions, both allocated in {@code arena}:
     * the value of SO_ATTACH_FILTER. The kernel copies the program, so the arena may close afterwards.
     */
    public MemorySegment writeSocketProgram(Arena arena) {
        MemorySegment instructions = writeInstructions(arena);
        MemorySegment program = arena.allocate(PacketSocketLayouts.SOCK_FPROG);
        program.set(JAVA_SHORT, PacketSocketLayouts.FPROG_LEN_OFFSET, (short) length());
        program.set(ADDRESS, PacketSocketLayouts.FPROG_FILTER_OFFSET, instructions);
        return program;
    }

    /** The program as {@code tcpdump -d} lists it, one instruction a line. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length(); i++) {
            text.append(String.format("(%03d) %s%n", i, disassemble(i)));
        }
        return text.toString();
    }

    private MemorySegment writeInstructions(Arena arena) {
        long size = PacketSocketLayouts.SOCK_FILTER.byteSize();
        MemorySegment instructions = arena.allocate(PacketSocketLayouts.SOCK_FILTER, length());
        for (int i = 0; i < length(); i++) {
            long at = i * size;
            instructions.set(JAVA_SHORT, at + PacketSocketLayouts.FILTER_CODE_OFFSET, codes[i]);
            instructions.set(JAVA_BYTE, at + PacketSocketLayouts.FILTER_JT_OFFSET, jumpsIfTrue[i]);
            instructions.set(JAVA_BYTE, at + PacketSocketLayouts.FILTER_JF_OFFSET, jumpsIfFalse[i]);
            instructions.set(JAVA_INT, at + PacketSocketLayouts.FILTER_K_OFFSET, constants[i]);
        }
        return instructions;
    }

    private String disassemble(int i) {
        int code = code(i);
        int k = constant(i);
        String hex = "#0x" + Integer.toHexString(k);
        int whenTrue = i + 1 + jumpIfTrue(i);
        int whenFalse = i + 1 + jumpIfFalse(i);
        return switch (code) {
            case BPF_LD | BPF_W | BPF_ABS -> "ld       [" + k + "]";
            case BPF_LD | BPF_H | BPF_ABS -> "ldh      [" + k + "]";
            case BPF_LD | BPF_B | BPF_ABS -> "ldb      [" + k + "]";
            case BPF_LD | BPF_H | BPF_IND -> "ldh      [x + " + k + "]";
            case BPF_LDX | BPF_B | BPF_MSH -> "ldxb     4*([" + k + "]&0xf)";
            case BPF_JMP | BPF_JA -> "ja       " + (i + 1 + k);
            case BPF_JMP | BPF_JEQ | BPF_K -> "jeq      " + hex + "  jt " + whenTrue + "  jf " + whenFalse;
            case BPF_JMP | BPF_JSET | BPF_K -> "jset     " + hex + "  jt " + whenTrue + "  jf " + whenFalse;
            case BPF_RET | BPF_K -> "ret      #" + Integer.toUnsignedString(k);
            default -> "code 0x" + Integer.toHexString(code) + " jt " + jumpIfTrue(i) + " jf " + jumpIfFalse(i)
                + " k " + hex;
        };
    }

    /** A place in the program that jumps can name before it is bound. */
    public static final class Label {
        private int position = -1;

        private Label() {
        }
    }

    /**
     * Appends instructions; {@link #build()} resolves the labels of {@code ja}. Conditional jumps take the
     * kernel's skip counts (0: the next instruction), which reach at most 255 instructions; to go further,
     * skip to a {@code ja}. The comments give each instruction in BPF assembler syntax.
     */
    public static final class Assembler {
        private final List<int[]> instructions = new ArrayList<>();
        private final List<Label> targets = new ArrayList<>();

        private Assembler() {
        }

        /** A new, unbound label. */
        public Label newLabel() {
            return new Label();
        }

        /** Instructions appended so far. */
        public int length() {
            return instructions.size();
        }

        /** Binds {@code label} to the next instruction appended. */
        public Assembler bind(Label label) {
            if (label.position >= 0) {
                throw new IllegalStateException("label bound twice");
            }
            label.position = instructions.size();
            return this;
        }

        /** {@code ld [k]}: A = the 32-bit big-endian word at packet offset k. */
        public Assembler loadWordAbsolute(int offset) {
            return append(BPF_LD | BPF_W | BPF_ABS, offset);
        }

        /** {@code ldh [k]}: A = the 16-bit big-endian half word at packet offset k. */
        public Assembler loadHalfAbsolute(int offset) {
            return append(BPF_LD | BPF_H | BPF_ABS, offset);
        }

        /** {@code ldb [k]}: A = the byte at packet offset k. */
        public Assembler loadByteAbsolute(int offset) {
            return append(BPF_LD | BPF_B | BPF_ABS, offset);
        }

        /** {@code ldh [x + k]}: A = the half word at packet offset X + k. */
        public Assembler loadHalfIndirect(int offset) {
            return append(BPF_LD | BPF_H | BPF_IND, offset);
        }

        /** {@code ldxb 4*([k]&0xf)}: X = the IPv4 header length of the header at packet offset k. */
        public Assembler loadIpv4HeaderLength(int offset) {
            return append(BPF_LDX | BPF_B | BPF_MSH, offset);
        }

        /** {@code jeq #k, jt, jf}: if A == k skip {@code skipIfTrue} instructions, else {@code skipIfFalse}. */
        public Assembler jumpIfEqual(int value, int skipIfTrue, int skipIfFalse) {
            return appendConditional(BPF_JMP | BPF_JEQ | BPF_K, value, skipIfTrue, skipIfFalse);
        }

        /** {@code jset #k, jt, jf}: if (A &amp; k) != 0 skip {@code skipIfTrue} instructions, else {@code skipIfFalse}. */
        public Assembler jumpIfAnySet(int mask, int skipIfTrue, int skipIfFalse) {
            return appendConditional(BPF_JMP | BPF_JSET | BPF_K, mask, skipIfTrue, skipIfFalse);
        }

        /** {@code ja label}: always jump; reaches any distance forward. */
        public Assembler jump(Label target) {
            instructions.add(new int[] {BPF_JMP | BPF_JA, 0, 0, 0});
            targets.add(target);
            return this;
        }

        /** {@code ret #k}: keep k bytes of the packet (0: drop it, -1: all of it). */
        public Assembler returnConstant(int bytes) {
            return append(BPF_RET | BPF_K, bytes);
        }

        /**
         * The program, with jumps resolved.
         *
         * @throws IllegalStateException if a label is unbound or behind its jump, or the program is longer
         *                               than the kernel accepts or does not end with a return
         */
        public ClassicBpfProgram build() {
            int length = instructions.size();
            if (length == 0 || length > MAX_INSTRUCTIONS) {
                throw new IllegalStateException("a classic BPF program has 1.." + MAX_INSTRUCTIONS
                    + " instructions; this one has " + length);
            }
            if ((instructions.getLast()[0] & 0x07) != BPF_RET) {
                throw new IllegalStateException("a classic BPF program must end with a return");
            }
            short[] codes = new short[length];
            byte[] jt = new byte[length];
            byte[] jf = new byte[length];
            int[] k = new int[length];
            for (int i = 0; i < length; i++) {
                int[] instruction = instructions.get(i);
                codes[i] = (short) instruction[0];
                jt[i] = (byte) instruction[1];
                jf[i] = (byte) instruction[2];
                k[i] = targets.get(i) == null ? instruction[3] : distance(i, targets.get(i));
            }
            return new ClassicBpfProgram(codes, jt, jf, k);
        }

        private static int distance(int from, Label target) {
            if (target.position < 0) {
                throw new IllegalStateException("instruction " + from + " jumps to a label that was never bound");
            }
            int skip = target.position - from - 1;
            if (skip < 0) {
                throw new IllegalStateException("instruction " + from + " jumps backwards to " + target.position
                    + ": classic BPF only jumps forward");
            }
            return skip;
        }

        private Assembler append(int code, int constant) {
            instructions.add(new int[] {code, 0, 0, constant});
            targets.add(null);
            return this;
        }

        private Assembler appendConditional(int code, int constant, int skipIfTrue, int skipIfFalse) {
            if (skipIfTrue < 0 || skipIfTrue > MAX_CONDITIONAL_SKIP || skipIfFalse < 0
                || skipIfFalse > MAX_CONDITIONAL_SKIP) {
                throw new IllegalArgumentException("a conditional jump skips 0.." + MAX_CONDITIONAL_SKIP
                    + " instructions, got " + skipIfTrue + " and " + skipIfFalse + ": jump to a 'ja' for longer jumps");
            }
            instructions.add(new int[] {code, skipIfTrue, skipIfFalse, constant});
            targets.add(null);
            return this;
        }
    }
}
