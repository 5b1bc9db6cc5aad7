package io.ringcap.linux;

import org.junit.jupiter.api.Test;

import static io.ringcap.linux.BpfLayouts.*;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Expected offsets are offsetof(union bpf_attr, …) printed by gcc 12.2 from the uapi headers of
 * linux-libc-dev 6.1.187 (x86_64) on the build machine; the C program is not part of the build.
 */
class BpfLayoutsTest {
    @Test
    void attrIsAsLargeAsTheHeadersUnion() {
        assertThat(BPF_ATTR.byteSize()).isEqualTo(144);
        assertThat(BPF_ATTR.byteAlignment()).isEqualTo(8);
        assertThat(BPF_INSN.byteSize()).isEqualTo(8);
    }

    @Test
    void mapCreateAndElementFieldsMatchBpfH() {
        assertThat(MAP_TYPE_OFFSET).isEqualTo(0);
        assertThat(KEY_SIZE_OFFSET).isEqualTo(4);
        assertThat(VALUE_SIZE_OFFSET).isEqualTo(8);
        assertThat(MAX_ENTRIES_OFFSET).isEqualTo(12);
        assertThat(MAP_FLAGS_OFFSET).isEqualTo(16);
        assertThat(MAP_NAME_OFFSET).isEqualTo(28);
        assertThat(MAP_IFINDEX_OFFSET).isEqualTo(44);
        assertThat(MAP_CREATE.byteOffset(groupElement("map_extra")))
            .isEqualTo(64);
        assertThat(ELEM_MAP_FD_OFFSET).isEqualTo(0);
        assertThat(ELEM_KEY_OFFSET).isEqualTo(8);
        assertThat(ELEM_VALUE_OFFSET).isEqualTo(16);
        assertThat(ELEM_FLAGS_OFFSET).isEqualTo(24);
    }

    @Test
    void progLoadFieldsMatchBpfH() {
        assertThat(PROG_TYPE_OFFSET).isEqualTo(0);
        assertThat(INSN_CNT_OFFSET).isEqualTo(4);
        assertThat(INSNS_OFFSET).isEqualTo(8);
        assertThat(LICENSE_OFFSET).isEqualTo(16);
        assertThat(LOG_LEVEL_OFFSET).isEqualTo(24);
        assertThat(LOG_SIZE_OFFSET).isEqualTo(28);
        assertThat(LOG_BUF_OFFSET).isEqualTo(32);
        assertThat(PROG_FLAGS_OFFSET).isEqualTo(44);
        assertThat(PROG_NAME_OFFSET).isEqualTo(48);
        assertThat(PROG_IFINDEX_OFFSET).isEqualTo(64);
        assertThat(EXPECTED_ATTACH_TYPE_OFFSET).isEqualTo(68);
    }

    @Test
    void objectTestRunAndLinkFieldsMatchBpfH() {
        assertThat(PATHNAME_OFFSET).isEqualTo(0);
        assertThat(OBJ_BPF_FD_OFFSET).isEqualTo(8);
        assertThat(OBJ_FILE_FLAGS_OFFSET).isEqualTo(12);
        assertThat(TEST_PROG_FD_OFFSET).isEqualTo(0);
        assertThat(TEST_RETVAL_OFFSET).isEqualTo(4);
        assertThat(TEST_DATA_SIZE_IN_OFFSET).isEqualTo(8);
        assertThat(TEST_DATA_SIZE_OUT_OFFSET).isEqualTo(12);
        assertThat(TEST_DATA_IN_OFFSET).isEqualTo(16);
        assertThat(TEST_DATA_OUT_OFFSET).isEqualTo(24);
        assertThat(TEST_REPEAT_OFFSET).isEqualTo(32);
        assertThat(TEST_DURATION_OFFSET).isEqualTo(36);
        assertThat(TEST_RUN.byteOffset(groupElement("batch_size")))
            .isEqualTo(72);
        assertThat(LINK_PROG_FD_OFFSET).isEqualTo(0);
        assertThat(LINK_TARGET_OFFSET).isEqualTo(4);
        assertThat(LINK_ATTACH_TYPE_OFFSET).isEqualTo(8);
        assertThat(LINK_FLAGS_OFFSET).isEqualTo(12);
    }

    @Test
    void constantsMatchBpfH() {
        assertThat(BPF_MAP_CREATE).isEqualTo(0);
        assertThat(BPF_PROG_TEST_RUN).isEqualTo(10);
        assertThat(BPF_LINK_CREATE).isEqualTo(28);
        assertThat(BPF_MAP_TYPE_XSKMAP).isEqualTo(17);
        assertThat(BPF_PROG_TYPE_XDP).isEqualTo(6);
        assertThat(BPF_XDP).isEqualTo(37);
        assertThat(XDP_PASS).isEqualTo(2);
        assertThat(XDP_FLAGS_DRV_MODE).isEqualTo(4);
    }
}
