package io.ringcap.cli;

import io.ringcap.capture.FilterRule;
import io.ringcap.capture.XdpFilterTable;
import io.ringcap.linux.BpfFileSystem;
import io.ringcap.linux.Capabilities;
import io.ringcap.linux.CapabilityLayouts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** 'ringcap filter' against a filter map pinned by the test, as a running afxdp capture pins its own. */
class FilterCommandTest {
    private Path pins;
    private XdpFilterTable table;

    @BeforeEach
    void pinAFilter() {
        assumeTrue(Capabilities.ofCurrentThread().hasEffective(CapabilityLayouts.CAP_SYS_ADMIN),
            "needs root: BPF maps and the BPF file system");
        pins = Path.of(BpfFileSystem.DEFAULT_MOUNT, "ringcap-filter-test-" + ProcessHandle.current().pid());
        BpfFileSystem.ensureMounted(Path.of(BpfFileSystem.DEFAULT_MOUNT), pins);
        table = XdpFilterTable.create(pins);
        table.add(FilterRule.parse("239.1.1.1:5000"));
    }

    @AfterEach
    void unpin() {
        if (table != null) {
            table.unpin();
            table.close();
        }
    }

    @Test
    void addDelAndListChangeThePinnedFilter() {
        CommandResult added = run("add", "239.1.1.2:5001", "*:6000", "239.1.1.1:5000");
        assertThat(added.exitCode()).isZero();
        assertThat(added.out()).contains("added 239.1.1.2:5001", "added *:6000", "already there: 239.1.1.1:5000");
        assertThat(table.entries()).extracting(XdpFilterTable.Entry::rule).containsExactlyInAnyOrder(
            FilterRule.parse("239.1.1.1:5000"), FilterRule.parse("239.1.1.2:5001"), FilterRule.parse("*:6000"));

        CommandResult deleted = run("del", "*:6000");
        assertThat(deleted.exitCode()).isZero();
        assertThat(deleted.out()).contains("removed *:6000");

        CommandResult listed = run("list", "--json");
        assertThat(listed.exitCode()).isZero();
        assertThat(listed.out()).contains("{\"rule\":\"239.1.1.1:5000\",\"packets\":0,\"bytes\":0}")
            .contains("239.1.1.2:5001").doesNotContain("*:6000");
    }

    @Test
    void deletingARuleThatIsNotThereFailsAndSaysSo() {
        CommandResult result = run("del", "239.9.9.9:1");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("not in the filter: 239.9.9.9:1");
    }

    @Test
    void aBadRuleIsAUsageError() {
        CommandResult result = run("add", "239.1.1:5000");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("filter '239.1.1:5000'");
        assertThat(table.entries()).hasSize(1);
    }

    @Test
    void noCaptureOnTheInterfaceIsAFailureThatSaysWhatToRun() {
        CommandResult result = CommandResult.execute("filter", "list", "--iface", "ringcap-none0");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("no XDP filter is pinned at").contains("ringcap capture --source afxdp");
    }

    @Test
    void filterWithoutASubcommandIsAUsageError() {
        CommandResult result = CommandResult.execute("filter");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("missing subcommand: add, del or list");
    }

    private CommandResult run(String subcommand, String... rest) {
        String[] args = new String[rest.length + 6];
        args[0] = "filter";
        args[1] = subcommand;
        args[2] = "--iface";
        args[3] = "veth-test";
        args[4] = "--pin-dir";
        args[5] = pins.toString();
        System.arraycopy(rest, 0, args, 6, rest.length);
        return CommandResult.execute(args);
    }
}
