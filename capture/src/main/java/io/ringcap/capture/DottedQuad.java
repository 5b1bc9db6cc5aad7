package io.ringcap.capture;

/** IPv4 addresses in dotted-quad text, as groups and filter rules are written. */
final class DottedQuad {
    /** What {@link #parse} returns for text that is not an address. */
    static final long INVALID = -1;

    private DottedQuad() {
    }

    /**
     * The address {@code text} stands for, as an unsigned host-order value, or {@link #INVALID} unless it is
     * four decimal octets 0..255 of one to three ASCII digits each, separated by dots.
     */
    static long parse(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return INVALID;
        }
        long address = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return INVALID;
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                return INVALID;
            }
            address = address << 8 | octet;
        }
        return address;
    }

    /** {@code address} (host order) in dotted-quad form. */
    static String format(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 0xFF) + "." + (address >>> 8 & 0xFF) + "." + (address & 0xFF);
    }
}
