package io.ringcap.capture;

/**
 * An IPv4 multicast group and UDP destination port to capture, parsed from {@code "239.1.1.1:5000"}, or
 * {@code "239.1.1.1"} for every port of the group ({@link #ANY_PORT}).
 *
 * @param address the group address as a host int ({@code 239.1.1.1} is {@code 0xEF010101})
 * @param port    the UDP destination port, or {@link #ANY_PORT}
 */
public record MulticastGroup(int address, int port) {
    /** The port of a group given without one: every destination port matches. */
    public static final int ANY_PORT = 0;

    public MulticastGroup {
        if ((address >>> 28) != 0xE) {
            throw new IllegalArgumentException("'" + formatAddress(address) + "' is not an IPv4 multicast address"
                + " (224.0.0.0 to 239.255.255.255)");
        }
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port " + port + " of group " + formatAddress(address)
                + " is outside 1..65535");
        }
    }

    /** Parses {@code "ADDRESS:PORT"} or {@code "ADDRESS"} (every port); the message says what is wrong. */
    public static MulticastGroup parse(String text) {
        String trimmed = text.strip();
        int colon = trimmed.indexOf(':');
        String addressText = colon < 0 ? trimmed : trimmed.substring(0, colon);
        int address = parseAddress(text, addressText);
        if (colon < 0) {
            return new MulticastGroup(address, ANY_PORT);
        }
        String portText = trimmed.substring(colon + 1);
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 0xFFFF) {
            throw new IllegalArgumentException("group '" + text + "': port '" + portText + "' is not a number in"
                + " 1..65535 (leave the port out, as in " + addressText + ", to capture every port)");
        }
        return new MulticastGroup(address, port);
    }

    /** Whether every destination port of the group is captured. */
    public boolean anyPort() {
        return port == ANY_PORT;
    }

    /** The address in dotted-quad form. */
    public String addressText() {
        return formatAddress(address);
    }

    /** The Ethernet address IPv4 multicast to this group is sent to: 01:00:5e and the low 23 bits of the group. */
    public long macAddress() {
        return 0x01005E000000L | (address & 0x7FFFFF);
    }

    @Override
    public String toString() {
        return anyPort() ? addressText() : addressText() + ":" + port;
    }

    static String formatAddress(int address) {
        return DottedQuad.format(address);
    }

    private static int parseAddress(String text, String addressText) {
        if (addressText.split("\\.", -1).length != 4) {
            throw new IllegalArgumentException("group '" + text + "' is not ADDRESS:PORT with an IPv4 address,"
                + " e.g. 239.1.1.1:5000");
        }
        long parsed = DottedQuad.parse(addressText);
        if (parsed == DottedQuad.INVALID) {
            throw new IllegalArgumentException("group '" + text + "': '" + addressText
                + "' is not an IPv4 address, e.g. 239.1.1.1:5000");
        }
        int address = (int) parsed;
        if ((address >>> 28) != 0xE) {
            throw new IllegalArgumentException("group '" + text + "': " + addressText + " is not a multicast"
                + " address (224.0.0.0 to 239.255.255.255)");
        }
        return address;
    }
}
