package io.ringcap.pcap;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * One record of a pcapng Name Resolution Block: an address and the names it had when the file was written.
 *
 * @param type    what kind of address
 * @param address the address's bytes, network order: 4 for IPv4, 16 for IPv6, 6 for EUI-48, 8 for EUI-64
 * @param names   one or more names
 */
public record ResolvedName(AddressType type, byte[] address, List<String> names) {
    /** The kinds of address a Name Resolution Block names. */
    public enum AddressType {
        IPV4(4), IPV6(16), EUI48(6), EUI64(8);

        final int bytes;

        AddressType(int bytes) {
            this.bytes = bytes;
        }
    }

    public ResolvedName {
        if (address.length != type.bytes) {
            throw new IllegalArgumentException(type + " address of " + address.length + " bytes, not " + type.bytes);
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a resolved name needs at least one name");
        }
        address = address.clone();
        names = List.copyOf(names);
    }

    /** The address's bytes, a copy. */
    @Override
    public byte[] address() {
        return address.clone();
    }

    /**
     * {@code 192.168.1.2}, {@code 2001:db8:0:0:0:0:0:1} (uncompressed, as {@link InetAddress} writes it) or
     * {@code 00:11:22:33:44:55}.
     */
    public String addressText() {
        return switch (type) {
            case IPV4, IPV6 -> {
                try {
                    yield InetAddress.getByAddress(address).getHostAddress();
                } catch (UnknownHostException impossible) {
                    throw new IllegalStateException(impossible);
                }
            }
            case EUI48, EUI64 -> HexFormat.ofDelimiter(":").formatHex(address);
        };
    }

    /** {@code 192.168.1.2 example.com}, as a hosts file has it. */
    @Override
    public String toString() {
        return addressText() + " " + String.join(" ", names);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ResolvedName that && type == that.type
            && Arrays.equals(address, that.address) && names.equals(that.names);
    }

    @Override
    public int hashCode() {
        return (type.hashCode() * 31 + Arrays.hashCode(address)) * 31 + names.hashCode();
    }
}
