package io.ringcap.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.util.Optional;

/** The {@code --metrics} options shared by {@code capture} and {@code record}. */
final class MetricsOptions {
    @Option(names = "--metrics", paramLabel = "HOST:PORT",
        description = "Serve counters for Prometheus at http://HOST:PORT/metrics (default: off). A bare PORT means"
            + " 127.0.0.1:PORT; only loopback unless a non-loopback host is named or --metrics-any-address is given.")
    String address;

    @Option(names = "--metrics-any-address",
        description = "Allow --metrics to listen on every interface (0.0.0.0 or ::): anyone who can reach this host"
            + " can then read the counters.")
    boolean anyAddress;

    /** The address asked for, checked: a bad one is a usage error (exit 2). */
    Optional<MetricsAddress> address(CommandSpec spec) {
        if (address == null) {
            if (anyAddress) {
                throw new ParameterException(spec.commandLine(), "--metrics-any-address needs --metrics HOST:PORT");
            }
            return Optional.empty();
        }
        try {
            return Optional.of(MetricsAddress.parse(address, anyAddress));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
