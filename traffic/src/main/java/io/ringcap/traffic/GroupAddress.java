package io.ringcap.traffic;

import io.ringcap.linux.SocketLayouts;

/**
 * An IPv4 multicast group and UDP port to send to, e.g. {@code 239.1.1.1:5000}.
 *
 * @param address the group as a host-order int ({@link SocketLayouts#ipv4}), in 224.0.0.0/4
 * @param port    the UDP destination port, 1 to 65535
 */
public record GroupAddress(int address, int port) {
    /** Rejects addresses outside 224.0.0.0/4 and ports outside 1–65535. */
    public GroupAddress {
        if (!isMulticast(address)) {
            throw new IllegalArgumentException(dottedQuad(address) + " is not a multicast address "
                + "(224.0.0.0 to 239.255.255.255): the generator sends multicast only");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is not a UDP port (1 to 65535)");
        }
    }

    /** Reads {@code GROUP:PORT}, e.g. {@code 239.1.1.1:5000}, with a message fit for a user if it is not one. */
    public static GroupAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("'" + text + "' has no port: write GROUP:PORT, e.g. 239.1.1.1:5000");
        }
        String host = text.substring(0, colon);
        int address;
        try {
            address = SocketLayouts.ipv4(host);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + host + "' in '" + text + "' is not an IPv4 address: "
                + "write GROUP:PORT, e.g. 239.1.1.1:5000");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text.substring(colon + 1) + "' in '" + text
                + "' is not a UDP port (1 to 65535)");
        }
        return new GroupAddress(address, port);
    }

    /** Whether a host-order IPv4 address is in 224.0.0.0/4. */
    public static boolean isMulticast(int address) {
        return address >>> 28 == 0b1110;
    }

    @Override
    public String toString() {
        return dottedQuad(address) + ":" + port;
    }

    private static String dottedQuad(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 0xff) + "." + (address >>> 8 & 0xff) + "." + (address & 0xff);
    }
}
