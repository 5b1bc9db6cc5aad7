package io.ringcap.capture;

import io.ringcap.capture.BpfAssembler.Alu;
import io.ringcap.capture.BpfAssembler.Jump;
import io.ringcap.capture.BpfAssembler.Label;
import io.ringcap.capture.BpfAssembler.Size;
import io.ringcap.linux.BpfLayouts;

import java.util.OptionalInt;

import static io.ringcap.capture.BpfAssembler.R0;
import static io.ringcap.capture.BpfAssembler.R1;
import static io.ringcap.capture.BpfAssembler.R10;
import static io.ringcap.capture.BpfAssembler.R2;
import static io.ringcap.capture.BpfAssembler.R3;
import static io.ringcap.capture.BpfAssembler.R4;
import static io.ringcap.capture.BpfAssembler.R5;
import static io.ringcap.capture.BpfAssembler.R6;
import static io.ringcap.capture.BpfAssembler.R7;
import static io.ringcap.capture.BpfAssembler.R8;
import static io.ringcap.capture.BpfAssembler.R9;

/**
 * ringcap's XDP program: Ethernet (one optional 802.1Q/802.1ad tag) → IPv4 (any header length, first
 * fragments only) → UDP; the destination (address, port) is looked up in the {@link XdpFilterTable}, first
 * exactly, then as "any port of this address", then as "this port on any address". A match is counted in
 * its entry (packets, bytes), gets a timestamp in its metadata ({@link XdpMetadata}: the NIC's through the
 * rx-timestamp kfunc when the program has one and the driver answers, else {@code bpf_ktime_get_tai_ns})
 * and is redirected to the AF_XDP socket of its receive queue. Everything else, and a match on a queue
 * without a socket, goes on to the kernel ({@code XDP_PASS}), so the host's own traffic is untouched.
 */
public final class XdpFilterProgram {
    /** BPF helper ids from {@code enum bpf_func_id}. */
    static final int HELPER_MAP_LOOKUP_ELEM = 1;
    static final int HELPER_REDIRECT_MAP = 51;
    static final int HELPER_XDP_ADJUST_META = 54;
    static final int HELPER_KTIME_GET_TAI_NS = 208;
    /** The kfunc that reads a received packet's hardware timestamp (Linux 6.3+, drivers that implement it). */
    public static final String RX_TIMESTAMP_KFUNC = "bpf_xdp_metadata_rx_timestamp";

    /** {@code struct xdp_md} offsets. */
    static final int MD_DATA = 0;
    static final int MD_DATA_END = 4;
    static final int MD_DATA_META = 8;
    static final int MD_RX_QUEUE_INDEX = 16;

    private static final int ETHERNET_HEADER = 14;
    private static final int VLAN_TAG = 4;
    private static final int IPV4_MIN_HEADER = 20;
    private static final int UDP_HEADER = 8;
    private static final int IPPROTO_UDP = 17;
    /** Network-order 16-bit constants as a little-endian load sees them. */
    private static final int ETHERTYPE_IPV4_LOADED = 0x0008;
    private static final int ETHERTYPE_VLAN_LOADED = 0x0081;
    private static final int ETHERTYPE_QINQ_LOADED = 0xa888;
    private static final int FRAGMENT_OFFSET_MASK_LOADED = 0xff1f;
    /** Stack slots: the lookup key at fp-8, the kfunc's timestamp at fp-16. */
    private static final int KEY_SLOT = -8;
    private static final int TIMESTAMP_SLOT = -16;

    private XdpFilterProgram() {
    }

    /**
     * The program's instructions for the given maps; with {@code rxTimestampKfunc} (the BTF id of
     * {@value #RX_TIMESTAMP_KFUNC}) it asks the NIC for a hardware timestamp first, and must then be loaded
     * bound to its device.
     */
    public static byte[] generate(int filterMapFd, int socketMapFd, OptionalInt rxTimestampKfunc) {
        BpfAssembler asm = new BpfAssembler();
        Label pass = asm.label("pass");
        Label untagged = asm.label("untagged");
        Label matched = asm.label("matched");
        Label redirect = asm.label("redirect");
        Label softwareTime = asm.label("software_time");
        Label stamped = asm.label("stamped");

        asm.mov(R6, R1)
            .load(Size.WORD, R7, R6, MD_DATA)
            .load(Size.WORD, R8, R6, MD_DATA_END);
        boundsCheck(asm, R7, ETHERNET_HEADER, pass);
        asm.load(Size.HALF, R3, R7, 12)
            .mov(R9, R7)
            .aluImm(Alu.ADD, R9, ETHERNET_HEADER);
        Label tagged = asm.label("tagged");
        asm.jumpIfImm(Jump.JEQ, R3, ETHERTYPE_VLAN_LOADED, tagged)
            .jumpIfImm(Jump.JNE, R3, ETHERTYPE_QINQ_LOADED, untagged)
            .place(tagged);
        boundsCheck(asm, R7, ETHERNET_HEADER + VLAN_TAG, pass);
        asm.load(Size.HALF, R3, R7, 16)
            .aluImm(Alu.ADD, R9, VLAN_TAG)
            .place(untagged)
            .jumpIfImm(Jump.JNE, R3, ETHERTYPE_IPV4_LOADED, pass);
        boundsCheck(asm, R9, IPV4_MIN_HEADER, pass);
        asm.load(Size.BYTE, R3, R9, 9)
            .jumpIfImm(Jump.JNE, R3, IPPROTO_UDP, pass)
            // Later fragments carry no UDP header, so no port to match.
            .load(Size.HALF, R3, R9, 6)
            .aluImm(Alu.AND, R3, FRAGMENT_OFFSET_MASK_LOADED)
            .jumpIfImm(Jump.JNE, R3, 0, pass)
            .load(Size.WORD, R4, R9, 16)
            .load(Size.BYTE, R3, R9, 0)
            .aluImm(Alu.AND, R3, 0x0f)
            .aluImm(Alu.LSH, R3, 2)
            .jumpIfImm(Jump.JLT, R3, IPV4_MIN_HEADER, pass)
            .alu(Alu.ADD, R9, R3);
        boundsCheck(asm, R9, UDP_HEADER, pass);

        // Key {be32 address, be16 port, u16 0}: exact, then any port, then any address.
        asm.load(Size.HALF, R5, R9, 2)
            .store(Size.WORD, R10, KEY_SLOT, R4)
            .store(Size.HALF, R10, KEY_SLOT + 4, R5)
            .storeImm(Size.HALF, R10, KEY_SLOT + 6, 0);
        lookup(asm, filterMapFd);
        asm.jumpIfImm(Jump.JNE, R0, 0, matched)
            .storeImm(Size.HALF, R10, KEY_SLOT + 4, 0);
        lookup(asm, filterMapFd);
        asm.jumpIfImm(Jump.JNE, R0, 0, matched)
            .storeImm(Size.WORD, R10, KEY_SLOT, 0)
            .load(Size.HALF, R5, R9, 2)
            .store(Size.HALF, R10, KEY_SLOT + 4, R5);
        lookup(asm, filterMapFd);
        asm.jumpIfImm(Jump.JEQ, R0, 0, pass);

        asm.place(matched)
            .movImm(R1, 1)
            .atomicAdd(Size.DOUBLE, R0, XdpFilterTable.VALUE_PACKETS_OFFSET, R1)
            .mov(R1, R8)
            .alu(Alu.SUB, R1, R7)
            .atomicAdd(Size.DOUBLE, R0, XdpFilterTable.VALUE_BYTES_OFFSET, R1)
            .mov(R1, R6)
            .movImm(R2, -XdpMetadata.SIZE)
            .call(HELPER_XDP_ADJUST_META)
            .jumpIfImm(Jump.JNE, R0, 0, redirect)
            // adjust_meta invalidated every packet pointer: reload meta and data, and prove meta + SIZE <= data.
            .load(Size.WORD, R7, R6, MD_DATA_META)
            .load(Size.WORD, R8, R6, MD_DATA)
            .mov(R2, R7)
            .aluImm(Alu.ADD, R2, XdpMetadata.SIZE)
            .jumpIf(Jump.JGT, R2, R8, redirect);
        if (rxTimestampKfunc.isPresent()) {
            asm.storeImm(Size.DOUBLE, R10, TIMESTAMP_SLOT, 0)
                .mov(R1, R6)
                .mov(R2, R10)
                .aluImm(Alu.ADD, R2, TIMESTAMP_SLOT)
                .callKernelFunction(rxTimestampKfunc.getAsInt())
                .jumpIfImm(Jump.JNE, R0, 0, softwareTime)
                .load(Size.DOUBLE, R3, R10, TIMESTAMP_SLOT)
                // Some drivers (veth) answer 0 for a packet the NIC did not stamp.
                .jumpIfImm(Jump.JEQ, R3, 0, softwareTime)
                .store(Size.DOUBLE, R7, XdpMetadata.TIMESTAMP_OFFSET, R3)
                .storeImm(Size.WORD, R7, XdpMetadata.FLAGS_OFFSET, XdpMetadata.FLAG_HARDWARE)
                .jump(stamped);
        }
        asm.place(softwareTime)
            .call(HELPER_KTIME_GET_TAI_NS)
            .store(Size.DOUBLE, R7, XdpMetadata.TIMESTAMP_OFFSET, R0)
            .storeImm(Size.WORD, R7, XdpMetadata.FLAGS_OFFSET, XdpMetadata.FLAG_TAI)
            .place(stamped)
            .storeImm(Size.WORD, R7, XdpMetadata.MAGIC_OFFSET, XdpMetadata.MAGIC)
            .place(redirect)
            .loadMap(R1, socketMapFd)
            .load(Size.WORD, R2, R6, MD_RX_QUEUE_INDEX)
            .movImm(R3, BpfLayouts.XDP_PASS)
            .call(HELPER_REDIRECT_MAP)
            .exit()
            .place(pass)
            .movImm(R0, BpfLayouts.XDP_PASS)
            .exit();
        return asm.assemble();
    }

    /** Jumps to {@code fail} unless {@code length} bytes from packet pointer {@code from} lie before data_end (R8). */
    private static void boundsCheck(BpfAssembler asm, int from, int length, Label fail) {
        asm.mov(R2, from)
            .aluImm(Alu.ADD, R2, length)
            .jumpIf(Jump.JGT, R2, R8, fail);
    }

    /** R0 = the filter entry for the key at fp-8, or 0. */
    private static void lookup(BpfAssembler asm, int filterMapFd) {
        asm.loadMap(R1, filterMapFd)
            .mov(R2, R10)
            .aluImm(Alu.ADD, R2, KEY_SLOT)
            .call(HELPER_MAP_LOOKUP_ELEM);
    }
}
