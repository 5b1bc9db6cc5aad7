package io.ringcap.capture;

import static io.ringcap.capture.ClassicBpfProgram.*;

/**
 * Runs the instructions {@link ClassicBpfProgram} can assemble over a frame, as the kernel's
 * {@code bpf_prog_run} would: a load past the end of the frame ends the program with 0.
 */
final class ClassicBpfInterpreter {
    private ClassicBpfInterpreter() {
    }

    /** The program's return value for {@code frame}: bytes to keep, 0 to drop. */
    static int run(ClassicBpfProgram program, byte[] frame) {
        int a = 0;
        int x = 0;
        int pc = 0;
        while (true) {
            int code = program.code(pc);
            int k = program.constant(pc);
            switch (code) {
                case BPF_LD | BPF_W | BPF_ABS -> {
                    if (k + 4 > frame.length) {
                        return 0;
                    }
                    a = word(frame, k);
                }
                case BPF_LD | BPF_H | BPF_ABS -> {
                    if (k + 2 > frame.length) {
                        return 0;
                    }
                    a = half(frame, k);
                }
                case BPF_LD | BPF_B | BPF_ABS -> {
                    if (k + 1 > frame.length) {
                        return 0;
                    }
                    a = frame[k] & 0xFF;
                }
                case BPF_LD | BPF_H | BPF_IND -> {
                    if (x + k + 2 > frame.length) {
                        return 0;
                    }
                    a = half(frame, x + k);
                }
                case BPF_LDX | BPF_B | BPF_MSH -> {
                    if (k + 1 > frame.length) {
                        return 0;
                    }
                    x = 4 * (frame[k] & 0xF);
                }
                case BPF_JMP | BPF_JA -> pc += k;
                case BPF_JMP | BPF_JEQ | BPF_K -> pc += a == k ? program.jumpIfTrue(pc) : program.jumpIfFalse(pc);
                case BPF_JMP | BPF_JSET | BPF_K -> pc += (a & k) != 0 ? program.jumpIfTrue(pc) : program.jumpIfFalse(pc);
                case BPF_RET | BPF_K -> {
                    return k;
                }
                default -> throw new AssertionError("instruction " + pc + " has code 0x" + Integer.toHexString(code));
            }
            pc++;
        }
    }

    private static int half(byte[] frame, int offset) {
        return (frame[offset] & 0xFF) << 8 | frame[offset + 1] & 0xFF;
    }

    private static int word(byte[] frame, int offset) {
        return half(frame, offset) << 16 | half(frame, offset + 2);
    }
}
