package io.ringcap.pcap;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** The field layouts of one byte order, chosen once per file (pcap) or per section (pcapng). */
final class ByteOrderLayouts {
    static final ByteOrderLayouts LITTLE_ENDIAN = new ByteOrderLayouts(ByteOrder.LITTLE_ENDIAN);
    static final ByteOrderLayouts BIG_ENDIAN = new ByteOrderLayouts(ByteOrder.BIG_ENDIAN);

    final ByteOrder order;
    final ValueLayout.OfShort u16;
    final ValueLayout.OfInt u32;
    final ValueLayout.OfLong u64;

    private ByteOrderLayouts(final ByteOrder order) {
        this.order = order;
        this.u16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order);
        this.u32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(order);
        this.u64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order);
    }
}
