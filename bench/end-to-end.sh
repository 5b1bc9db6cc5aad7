#!/usr/bin/env bash
# End to end, wire to disk (issue 5): `ringcap generate` at its maximum rate with 1000-byte payloads over a veth
# pair between two network namespaces, captured by `ringcap capture --source afxdp --idle park` into a ring in
# /dev/shm and written to disk from it by `ringcap record --direct`, beside `tcpdump -w FILE` and
# `xdpdump -w FILE` on the same traffic. Prints a markdown table: packets sent, packets in the files on disk
# (counted by capinfos), lost, and what each tool says it dropped.
#
#   sudo bench/end-to-end.sh
#   sudo BENCH_SECONDS=3 BENCH_WRITERS=ringcap bench/end-to-end.sh     # smoke run
#
# Environment: BENCH_SECONDS (sending time, default 10), BENCH_SIZE (UDP payload bytes, default 1000),
# BENCH_RATE (generator --rate, default max), BENCH_WRITERS (default "ringcap tcpdump xdpdump"), BENCH_RING_SIZE
# (default 4g), BENCH_OUT (a directory on the disk to measure, default /var/tmp/ringcap-bench-e2e; emptied before
# and removed after each writer), JAVA_HOME (a JDK 25).
#
# The sender runs on CPU 0 and every writer on CPU 1 (ringcap's capture and recorder share it). On veth the
# kernel's receive work runs on the sender's CPU. Only the namespaces' own addresses (10.213.10.1/30 tx,
# 10.213.10.2/30 rx) are used; the generator sends with TTL 1 out of veth-tx. The namespaces, the ring and the
# files are removed on exit, Ctrl-C or TERM.
set -euo pipefail

die() { echo "end-to-end.sh: $*" >&2; exit 2; }

[[ $(id -u) == 0 ]] || die "needs root (network namespaces, veth, AF_XDP): run it with sudo"
for tool in ip taskset capinfos; do
  command -v $tool >/dev/null || die "needs $tool (apt-get install iproute2 util-linux tshark)"
done
(( $(nproc --all) >= 2 )) || die "needs CPUs 0 and 1 (sender on 0, writer on 1)"

repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/veth-pair.sh
source "$repo/bench/veth-pair.sh"
ringcap=$repo/ringcap
seconds=${BENCH_SECONDS:-10}
size=${BENCH_SIZE:-1000}
rate=${BENCH_RATE:-max}
writers=${BENCH_WRITERS:-"ringcap tcpdump xdpdump"}
ring_size=${BENCH_RING_SIZE:-4g}
out=${BENCH_OUT:-/var/tmp/ringcap-bench-e2e}
group=239.1.10.1
port=5000

id=$$
tx=ringcap-e2e-tx-$id
rx=ringcap-e2e-rx-$id
ring=/dev/shm/ringcap-e2e-$id.ring
work=$(mktemp -d /tmp/ringcap-bench-e2e.XXXXXX)
pids=()
cleanup() {
  local status=$?
  for pid in ${pids[@]+"${pids[@]}"}; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  ip netns delete "$tx" 2>/dev/null || true
  ip netns delete "$rx" 2>/dev/null || true
  rm -rf "$work" "$ring" "$ring.readers" "$out"
  exit "$status"
}
trap cleanup EXIT INT TERM

"$ringcap" --version >/dev/null || die "ringcap does not build/run: try $ringcap --help"
make_veth_pair "$tx" "$rx" 10.213.10
taskset -pc 0 $$ >/dev/null

# wait_for FILE PATTERN PID NAME: until PATTERN shows in FILE, or the process exits.
wait_for() {
  local i
  for (( i = 0; i < 3000; i++ )); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || { cat "$1" >&2; die "$4 exited before it was ready"; }
    sleep 0.01
  done
  die "$4 not ready after 30 s: $(tail -3 "$1")"
}

# packets_in FILE...: the packets capinfos counts in the capture files.
packets_in() {
  capinfos -T -r -c "$@" | awk -F'\t' '{ n += $2 } END { print n + 0 }'
}

# run WRITER -> prints one table row
run() {
  local name=$1 capture_pid record_pid writer_pid said
  rm -rf "$out" "$ring" "$ring.readers"
  mkdir -p "$out"
  case $name in
    ringcap)
      ip netns exec "$rx" taskset -c 1 "$ringcap" capture --source afxdp --idle park --iface veth-rx \
        --group "$group:$port" --ring "$ring" --size "$ring_size" >"$work/capture.out" 2>"$work/capture.err" &
      capture_pid=$!; pids+=("$capture_pid")
      wait_for "$work/capture.err" '^ringcap: capturing' "$capture_pid" "ringcap capture"
      taskset -c 1 "$ringcap" record --ring "$ring" --dir "$out" --direct >"$work/record.out" 2>"$work/record.err" &
      record_pid=$!; pids+=("$record_pid")
      wait_for "$work/record.err" 'pkt/s' "$record_pid" "ringcap record" ;;
    tcpdump)
      ip netns exec "$rx" taskset -c 1 tcpdump -i veth-rx -w "$out/tcpdump.pcap" udp >"$work/w.out" 2>"$work/w.err" &
      writer_pid=$!; pids+=("$writer_pid")
      wait_for "$work/w.err" 'listening on' "$writer_pid" tcpdump ;;
    xdpdump)
      ip netns exec "$rx" taskset -c 1 xdpdump -i veth-rx --load-xdp-program -w "$out/xdpdump.pcapng" \
        >"$work/w.out" 2>&1 &
      writer_pid=$!; pids+=("$writer_pid")
      wait_for "$work/w.out" 'listening on' "$writer_pid" xdpdump ;;
  esac
  sleep 0.3
  taskset -c 0 "$ringcap" generate --netns "$tx" --iface veth-tx --group "$group:$port" --size "$size" \
    --rate "$rate" --seconds "$seconds" --cpu 0 --json >"$work/gen.json" 2>"$work/gen.err" \
    || { cat "$work/gen.err" >&2; die "generate failed"; }
  local sent
  sent=$(tr -d '\n' <"$work/gen.json" | sed -n 's/.*"packets" *: *\([0-9]*\).*"payload_bytes".*/\1/p')
  [[ $sent =~ ^[0-9]+$ ]] || die "cannot read the generator's report: $(cat "$work/gen.json" "$work/gen.err")"
  sleep 2   # the writers drain what is buffered (tcpdump hands over a TPACKET_V3 block after its 1 s timeout)
  case $name in
    ringcap)
      kill -TERM "$capture_pid"; wait "$capture_pid" || true
      # A stopped recorder does not read on to the ring's end: stop it once it says (in its status, once a
      # second) that it is no bytes behind.
      local i
      for (( i = 0; i < 30; i++ )); do
        "$ringcap" status --json "$ring" | tr -d ' \n' | grep -q '"behind_bytes":0[,}]' && break
        sleep 0.5
      done
      kill -TERM "$record_pid"; wait "$record_pid" || true
      said="capture: $(grep -o 'drops [0-9,]*' "$work/capture.err" | tail -1); record: $(grep -o 'lost [0-9,]* to laps, [0-9,]* to disk' "$work/record.err" | tail -1)" ;;
    tcpdump)
      kill -TERM "$writer_pid"; wait "$writer_pid" || true
      said="$(grep -o '[0-9]* packets\{0,1\} dropped by kernel' "$work/w.err" | head -1)" ;;
    xdpdump)
      kill -TERM "$writer_pid"; wait "$writer_pid" || true
      said="$(grep -o '[0-9]* packets\{0,1\} dropped by perf ring' "$work/w.out" | head -1)" ;;
  esac
  pids=()
  local files
  shopt -s nullglob
  files=("$out"/*.pcap "$out"/*.pcapng)
  shopt -u nullglob
  (( ${#files[@]} > 0 )) || die "$name wrote no capture file into $out"
  local on_disk
  on_disk=$(packets_in "${files[@]}")
  awk -v n="$name" -v s="$sent" -v d="$on_disk" -v said="$said" -v t="$seconds" 'BEGIN {
    printf "| %s | %d | %.0f | %d | %d | %.2f%% | %s |\n", n, s, s / t, d, s - d, (s - d) / s * 100, said }'
  [[ $name != ringcap ]] || verdict="ringcap capture + ringcap record lost nothing, wire to disk (issue 5): $(
    (( sent == on_disk )) && echo PASS || echo MISS) ($sent sent, $on_disk on disk)"
  rm -rf "$out"
}
verdict=

echo "Sender \`ringcap generate --size $size --rate $rate --seconds $seconds\` on CPU 0, writer on CPU 1; files on $(df --output=source "$(dirname "$out")" | tail -1); ring $ring_size in /dev/shm."
echo
echo "| writer | sent | sent pps | on disk (capinfos) | lost | lost % | the writer's own drop counters |"
echo "|---|---:|---:|---:|---:|---:|---|"
for writer in $writers; do
  if [[ $writer == xdpdump ]] && ! command -v xdpdump >/dev/null; then
    echo "| xdpdump | not installed (apt-get install xdp-tools) | | | | | |"
    continue
  fi
  run "$writer"
done
[[ -z $verdict ]] || { echo; echo "$verdict"; }
