package io.ringcap.capture;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The classic BPF program that lets only the configured groups' traffic into an afpacket socket: IPv4
 * UDP to one of the (destination address, destination port) pairs, untagged or behind one 802.1Q/802.1ad
 * tag. A group without a port accepts every port of its address.
 *
 * <p>A fragment other than the first carries no UDP header, so it is accepted on its destination address
 * alone: a datagram split by IP fragmentation is then captured whole, and the reader reassembles it.
 * (The kernel usually strips a received VLAN tag into metadata before the filter runs; the tagged branch
 * is for a tag still in the frame, e.g. the inner one of two.)
 *
 * <pre>
 *        ldh [12]            ethertype
 *        IPv4?   → ipv4 at 14
 *        802.1Q/ad? → ldh [16]; IPv4? → ipv4 at 18
 *        ret #0
 * ipv4:  ldb [b+9]  UDP?             else ret #0
 *        ldh [b+6]  fragment offset? → fragment
 *        ld  [b+16] address a?       → ports of a   (ja: any distance)
 *        ret #0
 * ports of a: ret -1 if a takes every port, else
 *        ldxb 4*([b]&0xf); ldh [x+b+2]; port p? → ret -1 …; ret #0
 * fragment: ld [b+16]; address a? → ret -1 …; ret #0
 * </pre>
 */
final class GroupFilter {
    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_VLAN = 0x8100;
    static final int ETHERTYPE_QINQ = 0x88A8;
    static final int PROTOCOL_UDP = 17;
    static final int ETHERNET_HEADER = 14;
    static final int VLAN_TAG = 4;
    /** Keep the whole packet: the return value is a byte count and the kernel caps it at the packet. */
    static final int ACCEPT = -1;
    static final int REJECT = 0;

    private static final int ETHERTYPE_OFFSET = 12;
    private static final int IPV4_FLAGS_FRAGMENT_OFFSET = 6;
    private static final int IPV4_PROTOCOL_OFFSET = 9;
    private static final int IPV4_DESTINATION_OFFSET = 16;
    private static final int FRAGMENT_OFFSET_MASK = 0x1FFF;
    private static final int UDP_DESTINATION_PORT_OFFSET = 2;

    private GroupFilter() {
    }

    /** The filter for {@code groups}, which must not be empty. */
    static ClassicBpfProgram program(List<MulticastGroup> groups) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("a capture needs at least one group");
        }
        Map<Integer, List<Integer>> portsByAddress = portsByAddress(groups);
        ClassicBpfProgram.Assembler bpf = ClassicBpfProgram.assembler();
        ClassicBpfProgram.Label untagged = bpf.newLabel();
        ClassicBpfProgram.Label tagged = bpf.newLabel();
        ClassicBpfProgram.Label taggedIpv4 = bpf.newLabel();

        bpf.loadHalfAbsolute(ETHERTYPE_OFFSET);
        bpf.jumpIfEqual(ETHERTYPE_IPV4, 0, 1).jump(untagged);
        bpf.jumpIfEqual(ETHERTYPE_VLAN, 0, 1).jump(tagged);
        bpf.jumpIfEqual(ETHERTYPE_QINQ, 0, 1).jump(tagged);
        bpf.returnConstant(REJECT);

        bpf.bind(tagged).loadHalfAbsolute(ETHERTYPE_OFFSET + VLAN_TAG);
        bpf.jumpIfEqual(ETHERTYPE_IPV4, 0, 1).jump(taggedIpv4);
        bpf.returnConstant(REJECT);

        bpf.bind(untagged);
        ipv4(bpf, ETHERNET_HEADER, portsByAddress);
        bpf.bind(taggedIpv4);
        ipv4(bpf, ETHERNET_HEADER + VLAN_TAG, portsByAddress);
        if (bpf.length() > ClassicBpfProgram.MAX_INSTRUCTIONS) {
            throw new IllegalArgumentException(groups.size() + " groups need a filter of " + bpf.length()
                + " classic BPF instructions, more than the kernel's " + ClassicBpfProgram.MAX_INSTRUCTIONS
                + " (about 18 per group address): split the groups across several captures");
        }
        return bpf.build();
    }

    /** Matches IPv4 UDP to the groups for an IPv4 header at {@code base}; every path ends in a return. */
    private static void ipv4(ClassicBpfProgram.Assembler bpf, int base, Map<Integer, List<Integer>> portsByAddress) {
        ClassicBpfProgram.Label fragment = bpf.newLabel();
        bpf.loadByteAbsolute(base + IPV4_PROTOCOL_OFFSET);
        bpf.jumpIfEqual(PROTOCOL_UDP, 1, 0).returnConstant(REJECT);
        bpf.loadHalfAbsolute(base + IPV4_FLAGS_FRAGMENT_OFFSET);
        bpf.jumpIfAnySet(FRAGMENT_OFFSET_MASK, 0, 1).jump(fragment);

        List<ClassicBpfProgram.Label> portLists = new ArrayList<>();
        bpf.loadWordAbsolute(base + IPV4_DESTINATION_OFFSET);
        for (int address : portsByAddress.keySet()) {
            ClassicBpfProgram.Label ports = bpf.newLabel();
            portLists.add(ports);
            bpf.jumpIfEqual(address, 0, 1).jump(ports);
        }
        bpf.returnConstant(REJECT);

        int next = 0;
        for (List<Integer> ports : portsByAddress.values()) {
            bpf.bind(portLists.get(next++));
            if (ports.contains(MulticastGroup.ANY_PORT)) {
                bpf.returnConstant(ACCEPT);
                continue;
            }
            bpf.loadIpv4HeaderLength(base);
            bpf.loadHalfIndirect(base + UDP_DESTINATION_PORT_OFFSET);
            for (int port : ports) {
                bpf.jumpIfEqual(port, 0, 1).returnConstant(ACCEPT);
            }
            bpf.returnConstant(REJECT);
        }

        bpf.bind(fragment).loadWordAbsolute(base + IPV4_DESTINATION_OFFSET);
        for (int address : portsByAddress.keySet()) {
            bpf.jumpIfEqual(address, 0, 1).returnConstant(ACCEPT);
        }
        bpf.returnConstant(REJECT);
    }

    private static Map<Integer, List<Integer>> portsByAddress(List<MulticastGroup> groups) {
        Map<Integer, List<Integer>> portsByAddress = new LinkedHashMap<>();
        for (MulticastGroup group : groups) {
            List<Integer> ports = portsByAddress.computeIfAbsent(group.address(), address -> new ArrayList<>());
            if (!ports.contains(group.port())) {
                ports.add(group.port());
            }
        }
        return portsByAddress;
    }
}
