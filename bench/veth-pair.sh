# Sourced by bench/capture.sh and bench/capture-threads.sh: the two network namespaces a capture benchmark sends
# between. make_veth_pair TX RX NET creates namespaces TX and RX, veth-tx in TX (NET.1/30) and veth-rx in RX
# (NET.2/30), lo up in both, and a multicast route out of veth-tx; the caller deletes the namespaces (the veth pair
# goes with them).
make_veth_pair() {
  local tx=$1 rx=$2 net=$3 ns dev address
  ip netns add "$tx"
  ip netns add "$rx"
  # Created directly in the namespaces: the veth ends never appear among the host's interfaces.
  ip link add veth-tx netns "$tx" type veth peer name veth-rx netns "$rx"
  for pair in "$tx veth-tx $net.1" "$rx veth-rx $net.2"; do
    read -r ns dev address <<<"$pair"
    # Before the link comes up: no duplicate-address detection, router solicitations or MLD reports.
    ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=1" 2>/dev/null || true
    ip -n "$ns" address add "$address/30" dev "$dev"
    ip -n "$ns" link set lo up
    ip -n "$ns" link set "$dev" up
  done
  ip -n "$tx" route add 224.0.0.0/4 dev veth-tx
}
