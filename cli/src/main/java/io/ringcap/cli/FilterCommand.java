package io.ringcap.cli;

import io.ringcap.capture.AfXdpConfig;
import io.ringcap.capture.CaptureException;
import io.ringcap.capture.FilterRule;
import io.ringcap.capture.XdpFilterTable;
import io.ringcap.linux.LinuxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code ringcap filter add|del|list --iface IF [RULE…]}: changes what a running {@code ringcap capture --source
 * afxdp} takes in, through the filter map its XDP program reads, pinned in the BPF file system. Takes effect
 * at once for the next packet; the capture is not restarted. Needs CAP_BPF (root).
 */
@Command(name = "filter", description = "Change what a running afxdp capture takes in, without restarting it.",
    subcommands = {FilterCommand.Add.class, FilterCommand.Delete.class, FilterCommand.ListRules.class})
final class FilterCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: add, del or list");
    }

    /** Options shared by the subcommands. */
    static final class Target {
        @Option(names = "--iface", required = true, paramLabel = "IF",
            description = "Interface of the running afxdp capture.")
        String interfaceName;

        @Option(names = "--netns", paramLabel = "NAME",
            description = "The capture runs with --netns NAME.")
        String namespace;

        @Option(names = "--pin-dir", paramLabel = "DIR",
            description = "Where that capture pinned its filter. Default: /sys/fs/bpf/ringcap/[NAME/]IF.")
        Path pinDirectory;

        XdpFilterTable open() {
            Path directory = pinDirectory != null ? pinDirectory
                : AfXdpConfig.defaultPinDirectory(namespace, interfaceName);
            try {
                return XdpFilterTable.open(directory);
            } catch (CaptureException e) {
                throw new CommandFailure(e.getMessage() + (e.getMessage().contains("EPERM")
                    ? " (the BPF maps need CAP_BPF: run as root)" : ""));
            }
        }
    }

    /** What add and del share: the running capture and the rules to change, one line of output per rule. */
    abstract static class RuleChange implements Callable<Integer> {
        @Mixin
        Target target;

        @Parameters(arity = "1..*", paramLabel = "RULE", converter = RuleConverter.class)
        List<FilterRule> rules;

        @Spec
        CommandSpec spec;

        /** Changes the table for {@code rule}; true if that did what was asked. */
        abstract boolean apply(XdpFilterTable table, FilterRule rule);

        /** The line printed for {@code rule}. */
        abstract String outcome(boolean applied, FilterRule rule);

        /** Exit code when some rule was not applied. */
        abstract int exitCodeIfNotApplied();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            boolean allApplied = true;
            try (XdpFilterTable table = target.open()) {
                for (FilterRule rule : rules) {
                    boolean applied = change(() -> apply(table, rule));
                    allApplied &= applied;
                    out.println(outcome(applied, rule));
                }
            }
            return allApplied ? 0 : exitCodeIfNotApplied();
        }
    }

    @Command(name = "add", description = "Capture UDP to these destinations too: ADDR:PORT, ADDR (every port) or *:PORT.")
    static final class Add extends RuleChange {
        @Override
        boolean apply(XdpFilterTable table, FilterRule rule) {
            return table.add(rule);
        }

        @Override
        String outcome(boolean applied, FilterRule rule) {
            return (applied ? "added " : "already there: ") + rule;
        }

        /** A rule that was there already is no failure: the filter is as asked. */
        @Override
        int exitCodeIfNotApplied() {
            return 0;
        }
    }

    @Command(name = "del", aliases = "delete", description = "Stop capturing UDP to these destinations.")
    static final class Delete extends RuleChange {
        @Override
        boolean apply(XdpFilterTable table, FilterRule rule) {
            return table.remove(rule);
        }

        @Override
        String outcome(boolean applied, FilterRule rule) {
            return (applied ? "removed " : "not in the filter: ") + rule;
        }

        @Override
        int exitCodeIfNotApplied() {
            return 1;
        }
    }

    @Command(name = "list", description = "The rules and how many packets and bytes each has matched.")
    static final class ListRules implements Callable<Integer> {
        @Mixin
        Target target;

        @Option(names = "--json", description = "As a JSON array.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<XdpFilterTable.Entry> entries;
            try (XdpFilterTable table = target.open()) {
                entries = change(table::entries);
            }
            if (json) {
                out.print("[");
                for (int i = 0; i < entries.size(); i++) {
                    XdpFilterTable.Entry entry = entries.get(i);
                    out.printf(Locale.ROOT, "%s{\"rule\":\"%s\",\"packets\":%d,\"bytes\":%d}", i == 0 ? "" : ",",
                        entry.rule(), entry.packets(), entry.bytes());
                }
                out.println("]");
            } else {
                out.printf("%-24s %16s %18s%n", "rule", "packets", "bytes");
                for (XdpFilterTable.Entry entry : entries) {
                    out.printf(Locale.ROOT, "%-24s %,16d %,18d%n", entry.rule(), entry.packets(), entry.bytes());
                }
            }
            return 0;
        }
    }

    private static <T> T change(Supplier<T> work) {
        try {
            return work.get();
        } catch (LinuxException e) {
            throw new CommandFailure("cannot change the XDP filter: " + e.getMessage());
        }
    }

    /** Reads a rule; a bad one is a usage error saying what is wrong. */
    static final class RuleConverter implements ITypeConverter<FilterRule> {
        @Override
        public FilterRule convert(String value) {
            try {
                return FilterRule.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
