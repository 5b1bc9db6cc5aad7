/**
 * Traffic for testing and demonstrating captures: a private network and a multicast generator.
 * <p>
 * {@link io.ringcap.traffic.TestNetwork} creates two hosts in network namespaces of their own,
 * joined by a veth pair, and deletes them again; {@link io.ringcap.traffic.NamespaceHost} runs code
 * or programs on either. {@link io.ringcap.traffic.TrafficGenerator} sends paced, sequence-numbered
 * UDP multicast as a {@link io.ringcap.traffic.TrafficPlan} says and reports what it sent in a
 * {@link io.ringcap.traffic.TrafficReport}; {@code ringcap generate} is its command line.
 * {@link io.ringcap.traffic.MoldHeader} and {@link io.ringcap.traffic.UdpFrame} let readers check
 * what arrived.
 * <p>
 * A typical network test:
 * <pre>{@code
 * try (TestNetwork network = TestNetwork.create()) {
 *     NamespaceHost receiver = network.receiver();
 *     // open the capture (or a joined socket) in the receiver's namespace
 *     var capture = receiver.call(() -> openCapture(TestNetwork.RECEIVER_INTERFACE, receiver.interfaceIndex()));
 *     TrafficPlan plan = TrafficPlan.ofCount(TestNetwork.SENDER_INTERFACE,
 *         List.of(GroupAddress.parse("239.1.1.1:5000")), 200_000, 64, 100_000);
 *     try (TrafficGenerator generator = network.sender().call(() -> TrafficGenerator.open(plan))) {
 *         TrafficReport sent = generator.run();   // the socket is in the sender's namespace
 *     }
 *     // check that every sequence number 1..100000 arrived
 * }
 * }</pre>
 */
package io.ringcap.traffic;
