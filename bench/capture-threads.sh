#!/usr/bin/env bash
# Where a ringcap capture's CPU goes, thread by thread: the capture thread against the counters thread, the JIT
# compilers and the rest of the JVM. bench/capture.sh gives the whole process's CPU a packet; this splits it, which
# is how to tell a hot-path cost (capture thread) from a fixed one a second (everything else).
#
#   sudo bench/capture-threads.sh afpacket max            # 4 s warm-up, then 5 s measured, 64-byte payloads
#   sudo bench/capture-threads.sh afxdp 100k 10 --umem-frames 65536
#
# Arguments: SOURCE (afxdp, afpacket or udp), RATE (generator --rate: 100k, max, ...), SECONDS measured (default 5),
# then any further arguments for `ringcap capture`. Environment: BENCH_SIZE (UDP payload bytes, default 64),
# BENCH_WARMUP (seconds of unmeasured traffic first, default 4), JAVA_HOME (a JDK 25), BENCH_REPO (the checkout
# whose ringcap captures, default this one; the generator is always this one's), BENCH_PACKETS (captured, the
# default: packets are the records the capture wrote; sent: the packets the generator sent, for a build that
# writes no records, see bench/read-floor.sh).
#
# Sender `ringcap generate` on CPU 0 in one namespace, capture (--idle park) on CPU 1 in another, veth between
# them, addresses 10.213.10.1/30 and .2 only, TTL 1; the namespaces go on exit. CPU per thread is the delta of
# /proc/PID/task/TID/schedstat (ns on CPU) from after the warm-up to 1 s after the generator ends, so the
# capture's own start-up and warm-up are left out. "runs" is the same file's count of times the thread got a CPU:
# for a capture thread that parks when idle, its wake-ups; "µs/run" is CPU per wake-up. Last, bench/ParkCost.java
# measures what a bare park costs a thread on CPU 1, the floor under every wake-up.
set -euo pipefail
export LC_ALL=C

die() { echo "capture-threads.sh: $*" >&2; exit 2; }

(( $# >= 2 )) || die "usage: capture-threads.sh SOURCE RATE [SECONDS] [ringcap capture arguments...]"
[[ $(id -u) == 0 ]] || die "needs root (network namespaces, veth, AF_PACKET/AF_XDP): run it with sudo"
command -v ip >/dev/null || die "needs iproute2's ip (apt-get install iproute2)"
command -v taskset >/dev/null || die "needs taskset (apt-get install util-linux)"
(( $(nproc --all) >= 2 )) || die "needs CPUs 0 and 1 (sender on 0, capturer on 1)"

source=$1 rate=$2
seconds=${3:-5}
shift $(( $# >= 3 ? 3 : 2 ))
[[ $seconds =~ ^[0-9]+$ ]] || die "SECONDS must be a whole number, not '$seconds'"
size=${BENCH_SIZE:-64}
warmup=${BENCH_WARMUP:-4}

repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/veth-pair.sh
source "$repo/bench/veth-pair.sh"
ringcap=$repo/ringcap
capturer=${BENCH_REPO:-$repo}/ringcap
[[ -x $capturer ]] || die "BENCH_REPO has no ringcap launcher: $capturer"
count=${BENCH_PACKETS:-captured}
[[ $count == captured || $count == sent ]] || die "BENCH_PACKETS must be captured or sent, not '$count'"
if [[ -z ${JAVA_HOME:-} && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
"$ringcap" --version >/dev/null || die "ringcap does not build/run: try $ringcap --help"
[[ $capturer == "$ringcap" ]] || "$capturer" --version >/dev/null || die "ringcap does not build/run: try $capturer --help"

id=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
tx=ringcap-threads-tx-$id
rx=ringcap-threads-rx-$id
ring=/dev/shm/ringcap-threads-$id.ring
work=$(mktemp -d /tmp/ringcap-capture-threads.XXXXXX)
capture_pid=

cleanup() {
  if [[ -n $capture_pid ]]; then
    kill -TERM "$capture_pid" 2>/dev/null || true
    wait "$capture_pid" 2>/dev/null || true
  fi
  ip netns del "$tx" 2>/dev/null || true
  ip netns del "$rx" 2>/dev/null || true
  rm -f "$ring"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

make_veth_pair "$tx" "$rx" 10.213.10

group=239.1.10.1:5000
ip netns exec "$rx" taskset -c 1 "$capturer" capture --source "$source" --idle park --iface veth-rx --group "$group" \
  --ring "$ring" --size 256m "$@" 2>"$work/capture.err" &
capture_pid=$!
for _ in $(seq 150); do
  grep -q '^ringcap: capturing' "$work/capture.err" 2>/dev/null && break
  kill -0 "$capture_pid" 2>/dev/null || { cat "$work/capture.err" >&2; die "ringcap capture exited"; }
  sleep 0.2
done
grep -q '^ringcap: capturing' "$work/capture.err" || die "ringcap capture did not start in 30 s"
# The launcher execs java, so the background job's pid is the JVM's.
jvm=$capture_pid

send() {
  ip netns exec "$tx" taskset -c 0 "$ringcap" generate --iface veth-tx --group "$group" --rate "$rate" --size "$size" \
    --seconds "$1" >"$work/generate.out" 2>&1 || { cat "$work/generate.out" >&2; die "ringcap generate failed"; }
}

snapshot() {
  for task in /proc/"$jvm"/task/*; do
    printf '%s %s %s\n' "${task##*/}" "$(tr ' ' _ <"$task/comm")" "$(cut -d' ' -f1,3 "$task/schedstat")"
  done 2>/dev/null | sort
}

captured() { grep -o 'captured [0-9,]*' "$work/capture.err" | tail -1 | tr -dc '0-9'; }
drops() { grep -o 'drops [0-9,]*' "$work/capture.err" | tail -1 | tr -dc '0-9'; }

(( warmup > 0 )) && send "$warmup"
sleep 1
snapshot >"$work/before"
before=$(captured) drops_before=$(drops)
send "$seconds"
sleep 1
snapshot >"$work/after"
after=$(captured) drops_after=$(drops)
if [[ $count == sent ]]; then
  packets=$(awk '$1 == "sent" { print $2 }' "$work/generate.out")
else
  packets=$(( ${after:-0} - ${before:-0} ))
fi
(( ${packets:-0} > 0 )) || die "no packets $count in the measured window (see $work/capture.err)"

echo "ringcap capture --source $source${*:+ $*}: $packets packets in the measured $seconds s at --rate $rate, $size-byte payloads"
echo "drops reported by the capture: $(( ${drops_after:-0} - ${drops_before:-0} ))"
printf '%-20s %12s %10s %10s %12s\n' thread "CPU ms" "ns/packet" "runs" "µs/run"
join "$work/before" "$work/after" | awk '{ delta = $6 - $3; if (delta >= 100000) { cpu[$2] += delta; runs[$2] += $7 - $4 } }
  END { for (name in cpu) print name, cpu[name], runs[name] }' | sort -k2 -n -r |
  awk -v packets="$packets" '{ printf "%-20s %12.2f %10.1f %10d %12.1f\n", $1, $2 / 1e6, $2 / packets, $3, $2 / 1e3 / ($3 > 0 ? $3 : 1) }'
join "$work/before" "$work/after" | awk -v packets="$packets" '{ total += $6 - $3; runs += $7 - $4 }
  END { printf "%-20s %12.2f %10.1f %10d\n", "all threads", total / 1e6, total / packets, runs }'
echo
taskset -c 1 "${JAVA_HOME:+$JAVA_HOME/bin/}java" "$repo/bench/ParkCost.java" 1000 10000
