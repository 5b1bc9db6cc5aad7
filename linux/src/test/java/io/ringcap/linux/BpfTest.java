package io.ringcap.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.ringcap.linux.BpfLayouts.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** bpf(2) against the running kernel: maps, a program load and a test run, nothing attached. */
class BpfTest {
    private static final int MOV64_IMM = 0xb7;
    private static final int EXIT = 0x95;

    private final Arena arena = Arena.ofAuto();

    @BeforeEach
    void needsCapBpf() {
        CapabilitySets capabilities = Capabilities.ofCurrentThread();
        assumeTrue(capabilities.hasEffective(CapabilityLayouts.CAP_BPF)
                || capabilities.hasEffective(CapabilityLayouts.CAP_SYS_ADMIN),
            "needs root: bpf(2) needs CAP_BPF");
    }

    @Test
    void hashMapStoresFindsIteratesAndDeletes() {
        int map = Bpf.createMap(BPF_MAP_TYPE_HASH, 4, 8, 16, 0, "ringcap_test");
        try {
            MemorySegment key = arena.allocateFrom(JAVA_INT, 7);
            MemorySegment value = arena.allocateFrom(JAVA_LONG, 700);
            Bpf.updateElement(map, key, value, BPF_NOEXIST);

            MemorySegment found = arena.allocate(JAVA_LONG);
            assertThat(Bpf.lookupElement(map, key, found)).isTrue();
            assertThat(found.get(JAVA_LONG, 0)).isEqualTo(700);
            assertThat(Bpf.lookupElement(map, arena.allocateFrom(JAVA_INT, 8), found)).isFalse();

            MemorySegment next = arena.allocate(JAVA_INT);
            assertThat(Bpf.nextKey(map, MemorySegment.NULL, next)).isTrue();
            assertThat(next.get(JAVA_INT, 0)).isEqualTo(7);
            assertThat(Bpf.nextKey(map, next, next)).isFalse();

            assertThat(Bpf.deleteElement(map, key)).isTrue();
            assertThat(Bpf.deleteElement(map, key)).isFalse();
        } finally {
            Sockets.close(map);
        }
    }

    @Test
    void updatingAMissingKeyWithBpfExistIsEnoent() {
        int map = Bpf.createMap(BPF_MAP_TYPE_HASH, 4, 4, 4, 0, "ringcap_test");
        try {
            MemorySegment key = arena.allocateFrom(JAVA_INT, 1);
            LinuxException e = catchThrowableOfType(LinuxException.class,
                () -> Bpf.updateElement(map, key, key, BPF_EXIST));
            assertThat(e.errno()).isEqualTo(Errno.ENOENT);
            assertThat(e.call()).isEqualTo("bpf(BPF_MAP_UPDATE_ELEM)");
        } finally {
            Sockets.close(map);
        }
    }

    @Test
    void xdpProgramLoadsAndPassesATestPacket() {
        MemorySegment insns = arena.allocate(BPF_INSN, 2);
        writeInsn(insns, 0, MOV64_IMM, 0, 0, 0, XDP_PASS);
        writeInsn(insns, 1, EXIT, 0, 0, 0, 0);
        int program = Bpf.loadProgram(BPF_PROG_TYPE_XDP, insns, "GPL", "ringcap_pass", BPF_XDP);
        try {
            MemorySegment packet = arena.allocate(64);
            MemorySegment out = arena.allocate(256);

            Bpf.TestRun run = Bpf.testRun(program, packet, out, 1);

            assertThat(run.result()).isEqualTo(XDP_PASS);
            assertThat(run.dataSizeOut()).isEqualTo(64);
        } finally {
            Sockets.close(program);
        }
    }

    @Test
    void rejectedProgramCarriesTheVerifierLog() {
        MemorySegment insns = arena.allocate(BPF_INSN, 1);
        writeInsn(insns, 0, EXIT, 0, 0, 0, 0);

        LinuxException e = catchThrowableOfType(LinuxException.class,
            () -> Bpf.loadProgram(BPF_PROG_TYPE_XDP, insns, "GPL", "ringcap_bad", BPF_XDP));

        assertThat(e.errno()).isEqualTo(Errno.EACCES);
        assertThat(e.hint()).startsWith("the verifier said:").contains("R0");
    }

    @Test
    void overlongMapNameIsRefusedBeforeTheCall() {
        assertThatThrownBy(() -> Bpf.createMap(BPF_MAP_TYPE_ARRAY, 4, 4, 1, 0, "a_name_of_sixteen"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("longer than 15");
    }
}
