package io.ringcap.capture;

import io.ringcap.linux.PacketSocketLayouts;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A PACKET_FANOUT group that afpacket captures on one interface join to share its packets, each socket (with its
 * own capture thread, ring and process) getting a part: {@code --fanout 7} or {@code --fanout 7:lb}.
 *
 * @param id   the group's number, 0..65535, the same for every member on the interface
 * @param mode how the kernel spreads packets over the members
 */
public record FanoutGroup(int id, Mode mode) {
    /** How the kernel chooses the member socket of each packet. */
    public enum Mode {
        /** By flow hash: every packet of a flow goes to one member, so each flow stays in order in one ring. */
        HASH(PacketSocketLayouts.PACKET_FANOUT_HASH),
        /** Round-robin, packet by packet: even load, but a flow is spread over the members' rings. */
        LB(PacketSocketLayouts.PACKET_FANOUT_LB),
        /** By the CPU that received the packet. */
        CPU(PacketSocketLayouts.PACKET_FANOUT_CPU),
        /** To the first member until its ring is full, then the next. */
        ROLLOVER(PacketSocketLayouts.PACKET_FANOUT_ROLLOVER),
        /** At random. */
        RND(PacketSocketLayouts.PACKET_FANOUT_RND),
        /** By the NIC's receive queue: member i takes queue i modulo the members. */
        QM(PacketSocketLayouts.PACKET_FANOUT_QM);

        final int kernelMode;

        Mode(int kernelMode) {
            this.kernelMode = kernelMode;
        }
    }

    public FanoutGroup {
        if (id < 0 || id > 0xFFFF) {
            throw new IllegalArgumentException("fanout group " + id + " is outside 0..65535");
        }
        if (mode == null) {
            throw new IllegalArgumentException("fanout group " + id + " needs a mode");
        }
    }

    /**
     * Reads {@code ID} or {@code ID:MODE}, e.g. {@code 7} (hash) or {@code 7:lb}.
     *
     * @throws IllegalArgumentException saying what is wrong and what is expected
     */
    public static FanoutGroup parse(String text) {
        int colon = text.indexOf(':');
        String id = colon < 0 ? text : text.substring(0, colon);
        Mode mode = Mode.HASH;
        if (colon >= 0) {
            String name = text.substring(colon + 1);
            mode = Arrays.stream(Mode.values()).filter(m -> m.name().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("fanout mode '" + name + "' is none of "
                    + Arrays.stream(Mode.values()).map(m -> m.name().toLowerCase(Locale.ROOT))
                        .collect(Collectors.joining(", "))));
        }
        if (id.isEmpty() || id.length() > 5 || !id.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("fanout group '" + text + "' is not ID or ID:MODE with ID 0..65535,"
                + " e.g. 7 or 7:lb");
        }
        return new FanoutGroup(Integer.parseInt(id), mode);
    }

    /** {@code 7:hash}: what {@link #parse} reads. */
    @Override
    public String toString() {
        return id + ":" + mode.name().toLowerCase(Locale.ROOT);
    }
}
