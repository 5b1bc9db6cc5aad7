package io.ringcap.capture;

/**
 * One entry of the XDP filter: UDP to {@code address:port}, where address 0 means any address and port 0
 * any port (not both). Parsed from {@code "239.1.1.1:5000"}, {@code "239.1.1.1"} (every port of the
 * address) or {@code "*:5000"} (that port on every address).
 *
 * @param address IPv4 destination address as a host int, or {@link #ANY_ADDRESS}
 * @param port    UDP destination port, or {@link #ANY_PORT}
 */
public record FilterRule(int address, int port) {
    public static final int ANY_ADDRESS = 0;
    public static final int ANY_PORT = 0;

    public FilterRule {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port " + port + " is outside 1..65535");
        }
        if (address == ANY_ADDRESS && port == ANY_PORT) {
            throw new IllegalArgumentException("a filter rule needs an address, a port, or both (e.g. 239.1.1.1:5000,"
                + " 239.1.1.1 or *:5000)");
        }
    }

    /** The rule for what a capture of {@code group} takes in. */
    public static FilterRule of(MulticastGroup group) {
        return new FilterRule(group.address(), group.port());
    }

    /** Parses {@code ADDRESS:PORT}, {@code ADDRESS} or {@code *:PORT}; the message says what is wrong. */
    public static FilterRule parse(String text) {
        String trimmed = text.strip();
        int colon = trimmed.indexOf(':');
        String addressText = colon < 0 ? trimmed : trimmed.substring(0, colon);
        int address = addressText.equals("*") ? ANY_ADDRESS : parseAddress(text, addressText);
        if (colon < 0) {
            if (address == ANY_ADDRESS) {
                throw new IllegalArgumentException("filter '" + text + "' names neither an address nor a port:"
                    + " write *:PORT for one port on every address");
            }
            return new FilterRule(address, ANY_PORT);
        }
        String portText = trimmed.substring(colon + 1);
        int port = -1;
        if (!portText.isEmpty() && portText.length() <= 5 && portText.chars().allMatch(Character::isDigit)) {
            port = Integer.parseInt(portText);
        }
        if (port < 1 || port > 0xFFFF) {
            String everyPort = address == ANY_ADDRESS ? "" : " (leave it out, as in " + addressText + ", for every port)";
            throw new IllegalArgumentException("filter '" + text + "': port '" + portText + "' is not a number in"
                + " 1..65535" + everyPort);
        }
        return new FilterRule(address, port);
    }

    @Override
    public String toString() {
        String addressText = address == ANY_ADDRESS ? "*" : MulticastGroup.formatAddress(address);
        return port == ANY_PORT ? addressText : addressText + ":" + port;
    }

    private static int parseAddress(String text, String addressText) {
        if (addressText.split("\\.", -1).length != 4) {
            throw new IllegalArgumentException("filter '" + text + "' is not ADDRESS:PORT, ADDRESS or *:PORT with"
                + " an IPv4 address, e.g. 239.1.1.1:5000");
        }
        long parsed = DottedQuad.parse(addressText);
        if (parsed == DottedQuad.INVALID) {
            throw new IllegalArgumentException("filter '" + text + "': '" + addressText
                + "' is not an IPv4 address, e.g. 239.1.1.1:5000");
        }
        int address = (int) parsed;
        if (address == ANY_ADDRESS) {
            throw new IllegalArgumentException("filter '" + text + "': write * for every address, not 0.0.0.0");
        }
        return address;
    }
}
