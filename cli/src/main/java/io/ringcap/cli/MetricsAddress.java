package io.ringcap.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where the Prometheus endpoint listens. Counters of a capture say what a network carries, so by default
 * only this host may scrape them: a bare port means the loopback address, and a wildcard address (all
 * interfaces) must be asked for with {@code --metrics-any-address}. A named non-loopback address is a
 * deliberate choice and is taken as given.
 */
record MetricsAddress(InetAddress host, int port) {
    /** Reads {@code 9464}, {@code 127.0.0.1:9464}, {@code [::1]:9464} or {@code 0.0.0.0:9464} (with anyAddress). */
    static MetricsAddress parse(String text, boolean anyAddress) {
        int colon = text.lastIndexOf(':');
        String host = colon < 0 ? "127.0.0.1" : text.substring(0, colon);
        String port = text.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty()) {
            host = anyAddress ? "0.0.0.0" : "";
        }
        if (host.isEmpty() || port.isEmpty() || !port.chars().allMatch(Character::isDigit) || port.length() > 5
            || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("--metrics '" + text + "' is not HOST:PORT with a port from 0 to 65535,"
                + " e.g. 127.0.0.1:9464");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--metrics '" + text + "': unknown host '" + host + "'");
        }
        if (address.isAnyLocalAddress() && !anyAddress) {
            throw new IllegalArgumentException("--metrics '" + text + "' listens on every interface: give"
                + " --metrics-any-address to mean it, or a loopback address such as 127.0.0.1:" + port);
        }
        return new MetricsAddress(address, Integer.parseInt(port));
    }

    /** The same host with the port actually listened on (port 0 lets the system choose). */
    MetricsAddress withPort(int listening) {
        return new MetricsAddress(host, listening);
    }

    @Override
    public String toString() {
        String host = host().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
