package io.ringcap.linux;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.ringcap.linux.EthtoolLayouts.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Expected sizes and offsets follow {@code <linux/ethtool.h>} (linux-libc-dev 6.1, x86_64): all members are
 * u32/s32 or char arrays, so there is no padding. Where the header is installed, its member lists are
 * checked against the layouts' names too.
 */
class EthtoolLayoutsTest {
    private static final Path HEADER = Path.of("/usr/include/linux/ethtool.h");

    @Test
    void tsInfoMatchesEthtoolH() {
        assertThat(TS_INFO.byteSize()).isEqualTo(44);
        assertThat(TS_INFO_CMD_OFFSET).isEqualTo(0);
        assertThat(TS_INFO_SO_TIMESTAMPING_OFFSET).isEqualTo(4);
        assertThat(TS_INFO_PHC_INDEX_OFFSET).isEqualTo(8);
        assertThat(TS_INFO_TX_TYPES_OFFSET).isEqualTo(12);
        assertThat(TS_INFO_RX_FILTERS_OFFSET).isEqualTo(28);
        assertThat(ETHTOOL_GET_TS_INFO).isEqualTo(0x41);
    }

    @Test
    void drvinfoMatchesEthtoolH() {
        assertThat(DRVINFO.byteSize()).isEqualTo(196);
        assertThat(DRVINFO_DRIVER_OFFSET).isEqualTo(4);
        assertThat(DRVINFO_VERSION_OFFSET).isEqualTo(36);
        assertThat(DRVINFO_FW_VERSION_OFFSET).isEqualTo(68);
        assertThat(DRVINFO_BUS_INFO_OFFSET).isEqualTo(100);
        assertThat(ETHTOOL_GDRVINFO).isEqualTo(3);
    }

    @Test
    void channelsMatchEthtoolH() {
        assertThat(CHANNELS.byteSize()).isEqualTo(36);
        assertThat(CHANNELS_RX_COUNT_OFFSET).isEqualTo(20);
        assertThat(CHANNELS_COMBINED_COUNT_OFFSET).isEqualTo(32);
        assertThat(ETHTOOL_GCHANNELS).isEqualTo(0x3c);
    }

    @Test
    void memberNamesAndOrderAreThoseOfTheInstalledHeader() throws Exception {
        assumeTrue(Files.isReadable(HEADER), "no " + HEADER + " (install linux-libc-dev) to compare with");
        String header = Files.readString(HEADER);
        assertThat(members(header, "ethtool_ts_info")).isEqualTo(names(TS_INFO));
        assertThat(members(header, "ethtool_drvinfo")).isEqualTo(names(DRVINFO));
        assertThat(members(header, "ethtool_channels")).isEqualTo(names(CHANNELS));
        assertThat(header).containsPattern("#define ETHTOOL_GET_TS_INFO\\s+0x00000041")
            .containsPattern("#define ETHTOOL_GDRVINFO\\s+0x00000003")
            .containsPattern("#define ETHTOOL_GCHANNELS\\s+0x0000003c");
    }

    private static String members(String header, String struct) {
        Matcher body = Pattern.compile("struct " + struct + " \\{(.*?)\\};", Pattern.DOTALL).matcher(header);
        assertThat(body.find()).as(struct).isTrue();
        Matcher member = Pattern.compile("(\\w+)(\\[[^]]*])?;").matcher(body.group(1));
        StringBuilder names = new StringBuilder();
        while (member.find()) {
            names.append(member.group(1)).append(' ');
        }
        return names.toString().strip();
    }

    private static String names(java.lang.foreign.StructLayout layout) {
        return String.join(" ", layout.memberLayouts().stream().map(m -> m.name().orElseThrow()).toList());
    }
}
