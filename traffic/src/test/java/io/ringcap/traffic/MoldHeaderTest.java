package io.ringcap.traffic;

import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MoldHeaderTest {
    @Test
    void fieldsAreBigEndianAtTheirOffsets() {
        byte[] bytes = new byte[MoldHeader.LENGTH + 3];
        MemorySegment payload = MemorySegment.ofArray(bytes);
        MoldHeader.writeSession(payload, 3, MoldHeader.sessionBytes("ABC"));
        MoldHeader.writeSequence(payload, 3, 0x0102030405060708L);
        MoldHeader.writeMessageCount(payload, 3, 0xfffe);

        assertThat(new String(bytes, 3, 10)).isEqualTo("ABC       ");
        assertThat(bytes[3 + 10]).isEqualTo((byte) 1);
        assertThat(bytes[3 + 17]).isEqualTo((byte) 8);
        assertThat(bytes[3 + 18]).isEqualTo((byte) 0xff);
        assertThat(MoldHeader.session(payload, 3)).isEqualTo("ABC");
        assertThat(MoldHeader.sequence(payload, 3)).isEqualTo(0x0102030405060708L);
        assertThat(MoldHeader.messageCount(payload, 3)).isEqualTo(0xfffe);
    }

    @Test
    void sessionsLongerThanTenOrNotAsciiAreRefused() {
        assertThat(MoldHeader.sessionBytes("0123456789")).hasSize(10);
        assertThatThrownBy(() -> MoldHeader.sessionBytes("0123456789A")).hasMessageContaining("at most 10");
        assertThatThrownBy(() -> MoldHeader.sessionBytes("SESSIÖN")).hasMessageContaining("ASCII");
    }
}
