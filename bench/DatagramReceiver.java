import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * The plain-Java baseline for bench/capture.sh: what a user would write instead of a capture tool.
 * One DatagramChannel bound to the group's port, joined to the group on IFACE, 8 MiB receive buffer asked for
 * (the kernel caps it at net.core.rmem_max), non-blocking receives drained after each select. Counts datagrams
 * until nothing has arrived for IDLE_MS after the first one, then prints the count on stdout and exits.
 * Prints "ready" on stderr once joined.
 *
 *   java bench/DatagramReceiver.java IFACE GROUP PORT [IDLE_MS]      e.g. veth-rx 239.1.9.1 5000 2000
 */
public class DatagramReceiver {
    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: java bench/DatagramReceiver.java IFACE GROUP PORT [IDLE_MS]");
            System.exit(2);
        }
        NetworkInterface iface = NetworkInterface.getByName(args[0]);
        if (iface == null) {
            System.err.println("DatagramReceiver: no interface " + args[0]);
            System.exit(2);
        }
        InetAddress group = InetAddress.getByName(args[1]);
        int port = Integer.parseInt(args[2]);
        long idleMillis = args.length > 3 ? Long.parseLong(args[3]) : 2000;

        try (DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
             Selector selector = Selector.open()) {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 8 << 20);
            channel.bind(new InetSocketAddress(port));
            channel.join(group, iface);
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
            System.err.println("ready (SO_RCVBUF granted " + channel.getOption(StandardSocketOptions.SO_RCVBUF) + ")");

            long count = 0;
            while (true) {
                // Before the first datagram wait as long as it takes; after it, until IDLE_MS pass without one.
                int ready = count == 0 ? selector.select() : selector.select(idleMillis);
                if (ready == 0) {
                    if (count > 0) {
                        break;
                    }
                    continue;
                }
                selector.selectedKeys().clear();
                while (true) {
                    buffer.clear();
                    if (channel.receive(buffer) == null) {
                        break;
                    }
                    count++;
                }
            }
            System.out.println(count);
        }
    }
}
