package io.ringcap.capture;

import io.ringcap.capture.BpfAssembler.Size;
import io.ringcap.linux.Bpf;
import io.ringcap.linux.BpfLayouts;
import io.ringcap.linux.Capabilities;
import io.ringcap.linux.CapabilityLayouts;
import io.ringcap.linux.Errno;
import io.ringcap.linux.LinuxException;
import io.ringcap.linux.Sockets;

import java.lang.foreign.Arena;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.ringcap.capture.BpfAssembler.R0;
import static io.ringcap.capture.BpfAssembler.R1;
import static io.ringcap.capture.BpfAssembler.R2;
import static io.ringcap.capture.BpfAssembler.R3;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Programs written with the assembler as the kernel's verifier sees them: a mistake comes back in its words. */
class BpfAssemblerVerifierTest {
    private final Arena arena = Arena.ofAuto();

    @BeforeEach
    void needsRoot() {
        assumeTrue(Capabilities.ofCurrentThread().hasEffective(CapabilityLayouts.CAP_SYS_ADMIN),
            "needs root: bpf(BPF_PROG_LOAD) of XDP programs");
    }

    private LinuxException rejection(BpfAssembler asm) {
        return catchThrowableOfType(LinuxException.class, () -> Sockets.close(
            Bpf.loadProgram(BpfLayouts.BPF_PROG_TYPE_XDP, asm.assemble(arena), "GPL", "ringcap_bad", BpfLayouts.BPF_XDP)));
    }

    @Test
    void correctProgramLoads() {
        BpfAssembler asm = new BpfAssembler()
            .load(Size.WORD, R2, R1, XdpFilterProgram.MD_DATA)
            .load(Size.WORD, R3, R1, XdpFilterProgram.MD_DATA_END)
            .mov(R1, R2)
            .aluImm(BpfAssembler.Alu.ADD, R1, 1);
        BpfAssembler.Label out = asm.label("out");
        asm.movImm(R0, BpfLayouts.XDP_PASS)
            .jumpIf(BpfAssembler.Jump.JGT, R1, R3, out)
            .load(Size.BYTE, R0, R2, 0)
            .movImm(R0, BpfLayouts.XDP_PASS)
            .place(out)
            .exit();
        int program = Bpf.loadProgram(BpfLayouts.BPF_PROG_TYPE_XDP, asm.assemble(arena), "GPL", "ringcap_ok",
            BpfLayouts.BPF_XDP);
        Sockets.close(program);
    }

    @Test
    void packetReadWithoutABoundsCheckIsRejectedWithTheVerifiersWords() {
        BpfAssembler asm = new BpfAssembler()
            .load(Size.WORD, R2, R1, XdpFilterProgram.MD_DATA)
            .load(Size.BYTE, R0, R2, 0)
            .movImm(R0, BpfLayouts.XDP_PASS)
            .exit();

        LinuxException e = rejection(asm);

        assertThat(e.errno()).isEqualTo(Errno.EACCES);
        assertThat(e.getMessage()).contains("bpf(BPF_PROG_LOAD, ringcap_bad)", "the verifier said",
            "invalid access to packet");
    }

    @Test
    void readOfAnUninitialisedRegisterIsRejectedWithTheVerifiersWords() {
        BpfAssembler asm = new BpfAssembler()
            .mov(R0, R2)
            .exit();

        LinuxException e = rejection(asm);

        assertThat(e.errno()).isEqualTo(Errno.EACCES);
        assertThat(e.getMessage()).contains("the verifier said", "R2 !read_ok");
    }
}
