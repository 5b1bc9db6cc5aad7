#!/usr/bin/env bash
# Capture cost: ringcap capture (afxdp, afpacket and udp sources, --idle park) against tcpdump, netsniff-ng, xdpdump and a plain Java
# DatagramChannel receiver (bench/DatagramReceiver.java), each receiving the same UDP multicast over a veth pair
# between two network namespaces of its own. For every payload size and rate, `ringcap generate` sends for a fixed
# time from the tx namespace (pinned to CPU 0) while one capturer runs in the rx namespace (pinned to CPU 1).
# Prints a markdown table (also written to bench/results/capture-<UTC time>.md):
# sent, captured, dropped, and the capturer's CPU time per captured packet.
#
#   sudo bench/capture.sh
#   sudo BENCH_SECONDS=1 BENCH_SIZES=64 BENCH_RATES=50k BENCH_CAPTURERS="afpacket tcpdump" bench/capture.sh   # smoke run
#   sudo BENCH_ROUNDS=3 BENCH_SECONDS=3 BENCH_SIZES=64 BENCH_RATES=max BENCH_CAPTURERS="afpacket tcpdump" bench/capture.sh
#
# Environment: BENCH_SECONDS (sending time per run, default 5), BENCH_SIZES (UDP payload bytes, default "64 1000"),
# BENCH_RATES (generator --rate values, default "100k 200k max"), BENCH_CAPTURERS (default
# "afxdp afpacket udp tcpdump netsniff-ng xdpdump datagramchannel"), BENCH_SETTLE (seconds between the generator's end and reading
# the capturer's CPU time, default 1.2: tcpdump hands over a TPACKET_V3 block that is not full only after its 1 s
# timeout), BENCH_WARMUP (seconds of unmeasured traffic first, default 4), BENCH_WARMUP_RATE (its rate, default
# "same": the measured run's), BENCH_RING_SIZE (the ringcap capturers' ring, default 256m), BENCH_RING_DIR (its
# directory, default /dev/shm; a hugetlbfs mount such as /dev/hugepages puts it on huge pages, which must be reserved),
# BENCH_RINGCAP_ARGS (more arguments for ringcap capture, e.g. "--umem-frames 262144"), BENCH_ROUNDS (default 1: how
# many times every row is run, all rows once per round so that a slow spell of the machine falls on every capturer
# alike; with more than one, a second table gives each row's median and range, and the targets of issues 3 and 4 are
# judged on the medians), JAVA_HOME (a JDK 25).
#
# CPU time is the capturer process's, all threads, from when the first packet reaches veth-rx to BENCH_SETTLE after
# the generator exits: utime+stime from /proc/PID/stat (10 ms ticks), and the same sum read with nanosecond
# resolution from the process's CPU clock (clock_gettime on clock_getcpuclockid(PID); needs python3). Start-up is
# left out for every capturer alike. On veth the kernel's receive work (veth_xmit -> netif_rx -> the softirq that
# runs packet_rcv/tpacket_rcv and udp_rcv) runs on the *sender's* CPU, so it is in nobody's figure here: the figures
# are what the capturer itself spends in user space and its own system calls. With a real NIC that work would land
# on the CPU that takes the interrupt.
#
# Only the two namespaces' own addresses (10.213.9.1/30 tx, 10.213.9.2/30 rx) are used; the generator sends with TTL 1
# out of veth-tx, and nothing routes out of the namespaces. The namespaces (and the veth pair with them) are deleted
# on exit, Ctrl-C or TERM.
set -euo pipefail

die() { echo "capture.sh: $*" >&2; exit 2; }

[[ $(id -u) == 0 ]] || die "needs root (network namespaces, veth, AF_PACKET): run it with sudo"
command -v ip >/dev/null || die "needs iproute2's ip (apt-get install iproute2)"
command -v taskset >/dev/null || die "needs taskset (apt-get install util-linux)"
(( $(nproc --all) >= 2 )) || die "needs CPUs 0 and 1 (sender on 0, capturer on 1)"

repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/veth-pair.sh
source "$repo/bench/veth-pair.sh"
ringcap=$repo/ringcap
if [[ -z ${JAVA_HOME:-} && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java=${JAVA_HOME:+$JAVA_HOME/bin/}java

seconds=${BENCH_SECONDS:-5}
sizes=${BENCH_SIZES:-"64 1000"}
rates=${BENCH_RATES:-"100k 200k max"}
capturers=${BENCH_CAPTURERS:-"afxdp afpacket udp tcpdump netsniff-ng xdpdump datagramchannel"}
settle=${BENCH_SETTLE:-1.2}
ring_size=${BENCH_RING_SIZE:-256m}
read -r -a ringcap_args <<<"${BENCH_RINGCAP_ARGS:-}"
warmup=${BENCH_WARMUP:-4}
warmup_rate=${BENCH_WARMUP_RATE:-same}
rounds=${BENCH_ROUNDS:-1}
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "BENCH_ROUNDS must be a whole number of rounds, at least 1, not '$rounds'"
group=239.1.9.1
port=5000
clk_tck=$(getconf CLK_TCK)

id=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
tx=ringcap-bench-tx-$id
rx=ringcap-bench-rx-$id
work=$(mktemp -d /tmp/ringcap-bench-capture.XXXXXX)
ring=${BENCH_RING_DIR:-/dev/shm}/ringcap-bench-$id.ring
capturer_pid=
clock_pid=

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -n $capturer_pid ]] && kill -0 "$capturer_pid" 2>/dev/null; then
    kill -TERM "$capturer_pid" 2>/dev/null || true
    wait "$capturer_pid" 2>/dev/null || true
  fi
  [[ -n $clock_pid ]] && kill "$clock_pid" 2>/dev/null
  ip netns del "$tx" 2>/dev/null || true
  ip netns del "$rx" 2>/dev/null || true
  rm -rf "$work" "$ring"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- tools ----------------------------------------------------------------------------------------------------------
have_tcpdump=$(command -v tcpdump || true)
have_netsniff=$(command -v netsniff-ng || true)
netsniff_why="not installed (apt-get install netsniff-ng)"
if [[ -z $have_netsniff ]] && command -v apt-cache >/dev/null; then
  candidate=$(apt-cache policy netsniff-ng 2>/dev/null | sed -n 's/^ *Candidate: *//p')
  [[ -z $candidate || $candidate == "(none)" ]] && netsniff_why="not installed, and no apt package netsniff-ng on this system"
fi
"$java" -version 2>&1 | grep -q 'version "2[5-9]\|version "[3-9][0-9]' || die "needs a JDK 25 (set JAVA_HOME)"
"$ringcap" --version >/dev/null || die "ringcap does not build/run: try $ringcap --help"

# A process's CPU time in ns from its CPU-time clock (all threads, dead ones included): one python3 co-process
# answering a line "PID" with "NANOS" (or "-" if it is gone).
if command -v python3 >/dev/null; then
  coproc CLOCK { exec python3 -u -c '
import sys, time
for line in sys.stdin:
    pid = int(line)
    try:
        print(time.clock_gettime_ns(((~pid) << 3) | 2))   # MAKE_PROCESS_CPUCLOCK(pid, CPUCLOCK_SCHED)
    except OSError:
        print("-")
'; }
  clock_pid=$CLOCK_PID
fi
cpu_nanos() { # PID -> REPLY: CPU ns from the process clock, "" without python3
  REPLY=
  [[ -n $clock_pid ]] || return 0
  echo "$1" >&"${CLOCK[1]}"
  read -r REPLY <&"${CLOCK[0]}"
  [[ $REPLY == - ]] && REPLY=
  return 0
}
cpu_ticks() { # PID -> REPLY: utime+stime in clock ticks, from /proc/PID/stat
  local line fields
  read -r line < "/proc/$1/stat"
  read -r -a fields <<<"${line##*) }"   # fields[0] is field 3 (state): utime is field 14, stime 15
  REPLY=$(( fields[11] + fields[12] ))
}
rx_packets() { # PID -> REPLY: veth-rx's received packets, seen through the process's network namespace
  local name bytes packets rest
  REPLY=0
  while read -r name bytes packets rest; do
    if [[ $name == veth-rx: ]]; then REPLY=$packets; return 0; fi
  done < "/proc/$1/net/dev"
}
udp_rcvbuf_errors() { # PID -> REPLY: Udp RcvbufErrors of the process's network namespace
  local -a head values
  local line i
  REPLY=0
  while read -r line; do
    if [[ $line == Udp:\ InDatagrams* ]]; then read -r -a head <<<"$line"
    elif [[ $line == Udp:\ [0-9]* ]]; then read -r -a values <<<"$line"; fi
  done < "/proc/$1/net/snmp"
  for i in "${!head[@]}"; do [[ ${head[i]} == RcvbufErrors ]] && REPLY=${values[i]}; done
  return 0
}
exec {sleep_fd}<> <(:)
nap() { read -r -t "$1" -u "$sleep_fd" || true; }   # sleep without a fork

# --- network ----------------------------------------------------------------------------------------------------------
make_veth_pair "$tx" "$rx" 10.213.9

# The script itself (polling /proc every 5 ms while waiting) stays off the capturer's CPU.
taskset -pc 0 $$ >/dev/null

# --- one run ----------------------------------------------------------------------------------------------------------
# start_capturer NAME: starts it in rx on CPU 1, sets capturer_pid; its stdout/stderr go to $work/cap.{out,err}.
start_capturer() {
  rm -f "$ring" "$work/cap.out" "$work/cap.err"
  local -a cmd
  case $1 in
    afxdp|afpacket|udp)
      cmd=("$ringcap" capture --source "$1" --idle park --iface veth-rx --group "$group:$port"
           --ring "$ring" --size "$ring_size" ${ringcap_args[@]+"${ringcap_args[@]}"}) ;;
    tcpdump)
      cmd=(tcpdump -i veth-rx -w /dev/null udp) ;;
    xdpdump)
      cmd=(xdpdump -i veth-rx --load-xdp-program -w /dev/null) ;;
    netsniff-ng)
      # --no-sock-mem: a child namespace cannot write net.core.*mem; --notouch-irq: veth has no IRQ.
      cmd=(netsniff-ng --in veth-rx --out /dev/null --silent --bind-cpu 1 --notouch-irq --no-sock-mem udp) ;;
    datagramchannel)
      cmd=("$java" "$repo/bench/DatagramReceiver.java" veth-rx "$group" "$port" 2000) ;;
  esac
  ip netns exec "$rx" taskset -c 1 "${cmd[@]}" >"$work/cap.out" 2>"$work/cap.err" &
  capturer_pid=$!
  local ready_pattern
  case $1 in
    afxdp|afpacket|udp) ready_pattern='^ringcap: capturing' ;;
    xdpdump) ready_pattern='listening on' ;;
    tcpdump) ready_pattern='listening on' ;;
    netsniff-ng) ready_pattern='Running' ;;
    datagramchannel) ready_pattern='^ready' ;;
  esac
  local i
  for (( i = 0; i < 3000; i++ )); do
    if grep -q "$ready_pattern" "$work/cap.err" "$work/cap.out" 2>/dev/null; then
      nap 0.3   # the capture thread is in its loop, and a DatagramChannel's join has left
      return 0
    fi
    kill -0 "$capturer_pid" 2>/dev/null || { cat "$work/cap.err" >&2; die "$1 exited before it was ready"; }
    nap 0.01
  done
  die "$1 not ready after 30 s: $(tail -3 "$work/cap.err")"
}

# stop_capturer NAME: stops it and sets captured / own_drops from what it reports.
stop_capturer() {
  case $1 in
    datagramchannel) ;;   # exits by itself after 2 s without a datagram
    *) kill -TERM "$capturer_pid" ;;   # async jobs of a script ignore SIGINT
  esac
  wait "$capturer_pid" || true
  capturer_pid=
  captured=; own_drops=
  case $1 in
    afxdp|afpacket|udp)
      local status
      status=$("$ringcap" status --json "$ring")
      captured=$(sed -n 's/.*"records_written" *: *\([0-9]*\).*/\1/p' <<<"$status")
      own_drops=$(sed -n 's/.*"source_drops" *: *\([0-9]*\).*/\1/p' <<<"$status") ;;
    tcpdump)
      captured=$(sed -n 's/^\([0-9]*\) packets\{0,1\} captured.*/\1/p' "$work/cap.err")
      own_drops=$(sed -n 's/^\([0-9]*\) packets\{0,1\} dropped by kernel.*/\1/p' "$work/cap.err") ;;
    netsniff-ng)
      captured=$(tr -d '\r' <"$work/cap.out" | sed -n 's/^ *\([0-9]*\) *packets passed filter.*/\1/p' | head -1)
      own_drops=$(tr -d '\r' <"$work/cap.out" | sed -n 's/^ *\([0-9]*\) *packets failed filter.*/\1/p' | head -1) ;;
    xdpdump)
      captured=$(sed -n 's/^\([0-9]*\) packets\{0,1\} captured.*/\1/p' "$work/cap.err" "$work/cap.out" | head -1)
      own_drops=$(sed -n 's/^\([0-9]*\) packets\{0,1\} dropped by perf ring.*/\1/p' "$work/cap.err" "$work/cap.out" | head -1) ;;
    datagramchannel)
      captured=$(tail -1 "$work/cap.out") ;;
  esac
  [[ $captured =~ ^[0-9]+$ ]] || { cat "$work/cap.err" "$work/cap.out" >&2; die "$1: could not read its packet count"; }
}

# generate SIZE RATE SECONDS JSON_FILE: sends from tx, the whole JVM on CPU 0, the sending thread pinned there too.
generate() {
  taskset -c 0 "$ringcap" generate --netns "$tx" --iface veth-tx --group "$group:$port" --size "$1" \
    --rate "$2" --seconds "$3" --cpu 0 --json >"$4" 2>"$work/gen.err"
}
sent_in() { # JSON_FILE -> REPLY: packets sent
  REPLY=$(tr -d '\n' <"$1" | sed -n 's/.*"packets" *: *\([0-9]*\).*"payload_bytes".*/\1/p')
  [[ $REPLY =~ ^[0-9]+$ ]] || die "cannot read the generator's report: $(cat "$1" "$work/gen.err")"
}

# run CAPTURER SIZE RATE -> prints one table row
run() {
  local name=$1 size=$2 rate=$3
  start_capturer "$name"
  local pid=$capturer_pid rx0 rx1 ticks0 ticks1 nanos0 nanos1 udp0 udp1 gen_pid warm_sent=0
  # Warm-up, not measured: the JVM capturers compile their receive path (C1, then C2) when traffic first flows,
  # ~0.7 s of CPU on the capturer's core that a long-running capture pays once, and again for the paths a higher
  # rate takes (fuller polls, fewer parks): hence at the measured rate, for every capturer alike. What the warm-up
  # lost is counted as dropped in the measured row.
  if [[ $warmup != 0 ]]; then
    local at=$warmup_rate
    [[ $at == same ]] && at=$rate
    generate "$size" "$at" "$warmup" "$work/warm.json" || { cat "$work/gen.err" >&2; die "generate failed"; }
    sent_in "$work/warm.json"; warm_sent=$REPLY
    nap 0.2
  fi
  rx_packets "$pid"; rx0=$REPLY
  udp_rcvbuf_errors "$pid"; udp0=$REPLY
  generate "$size" "$rate" "$seconds" "$work/gen.json" &
  gen_pid=$!
  # The window opens when the first packet reaches veth-rx (seen within ~5 ms; the generator's JVM start is left out)
  # and closes 0.1 s after the generator's exit: idle time around the traffic is no packet's cost.
  while true; do
    rx_packets "$pid"
    (( REPLY != rx0 )) && break
    kill -0 "$gen_pid" 2>/dev/null || break
    nap 0.005
  done
  cpu_ticks "$pid"; ticks0=$REPLY
  cpu_nanos "$pid"; nanos0=$REPLY
  wait "$gen_pid" || { cat "$work/gen.err" >&2; die "generate failed"; }
  nap 0.1
  cpu_ticks "$pid"; ticks1=$REPLY
  cpu_nanos "$pid"; nanos1=$REPLY
  # Stopped only after the settle time: tcpdump hands a TPACKET_V3 block that is not full over after its 1 s
  # timeout, and counts what it has not seen as not captured.
  nap "$settle"
  rx_packets "$pid"; rx1=$REPLY
  udp_rcvbuf_errors "$pid"; udp1=$REPLY
  stop_capturer "$name"
  (( captured -= warm_sent )) || true

  local sent achieved
  sent_in "$work/gen.json"; sent=$REPLY
  achieved=$(tr -d '\n' <"$work/gen.json" | sed -n 's/.*"packets_per_second" *: *\([0-9.eE+]*\).*/\1/p')
  local drops="$(( sent - captured ))" own=""
  case $name in
    afxdp) own="AF_XDP rx_dropped+rx_ring_full $own_drops" ;;
    afpacket) own="kernel tp_drops $own_drops" ;;
    xdpdump) own="dropped by perf ring $own_drops" ;;
    udp) own="SO_RXQ_OVFL $own_drops; RcvbufErrors $(( udp1 - udp0 ))" ;;
    tcpdump) own="dropped by kernel $own_drops" ;;
    netsniff-ng) own="failed filter $own_drops" ;;
    datagramchannel) own="RcvbufErrors $(( udp1 - udp0 ))" ;;
  esac
  local label
  case $name in
    afxdp|afpacket|udp) label="ringcap capture --source $name --idle park" ;;
    xdpdump) label="xdpdump -w /dev/null" ;;
    tcpdump) label="tcpdump -w /dev/null" ;;
    netsniff-ng) label="netsniff-ng --out /dev/null" ;;
    datagramchannel) label="Java DatagramChannel" ;;
  esac
  awk -v l="$label" -v s="$size" -v r="$rate" -v a="$achieved" -v sent="$sent" -v c="$captured" -v d="$drops" \
      -v own="$own" -v t="$(( ticks1 - ticks0 ))" -v hz="$clk_tck" -v n0="$nanos0" -v n1="$nanos1" \
      -v wire="$(( rx1 - rx0 ))" -v name="$name" -v tsv="$work/rows.tsv" 'BEGIN {
    stat = c > 0 ? sprintf("%.0f", t * 1e9 / hz / c) : "-"
    precise = (c > 0 && n0 != "" && n1 != "") ? sprintf("%.1f", (n1 - n0) / c) : "-"
    pct = sent > 0 ? sprintf(" (%.2f%%)", d * 100 / sent) : ""
    printf "| %s | %s | %s | %.0f | %d | %d | %d%s; %s | %s | %s |\n", l, s, r, a, sent, c, d, pct, own, stat, precise
    printf "%s\t%s\t%s\t%s\t%.0f\t%d\t%s\t%s\n", name, l, s, r, a, d, stat, precise >> tsv
  }'
  [[ $(( rx1 - rx0 )) == "$sent" ]] || echo "capture.sh: veth-rx received $(( rx1 - rx0 )) of $sent sent" >&2
}

# median_table TSV: every row's median over the rounds (and the range of its CPU clock figure), then the targets of
# issue 3 (afpacket loss-free wherever tcpdump is, at <= half of tcpdump's CPU a packet) and issue 4 (afxdp loss-free
# wherever afpacket is, with the lowest CPU a packet of the table), judged on the medians of the CPU clock figure.
median_table() {
  echo "Medians over $rounds rounds (the CPU clock's range in brackets); a row is loss-free only if every round was."
  echo
  echo "| capturer | payload B | target rate | rounds | achieved pps | loss-free rounds | CPU ns/pkt (stat) | CPU ns/pkt (clock) |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  awk -F'\t' '
    function median(list,    n, v, i, j, t) {
      n = split(list, v, " ")
      for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
      return n == 0 ? "" : (n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2)
    }
    function range(list,    n, v, i, lo, hi) {
      n = split(list, v, " "); lo = hi = v[1]
      for (i = 2; i <= n; i++) { if (v[i] + 0 < lo + 0) lo = v[i]; if (v[i] + 0 > hi + 0) hi = v[i] }
      return lo "–" hi
    }
    {
      key = $1 SUBSEP $3 SUBSEP $4
      if (!(key in label)) { label[key] = $2; order[++count] = key }
      runs[key]++; pps[key] = pps[key] " " $5
      if ($6 == 0) clean[key]++
      if ($7 != "-") stat[key] = stat[key] " " $7
      if ($8 != "-") clock[key] = clock[key] " " $8
    }
    END {
      for (k = 1; k <= count; k++) {
        key = order[k]; split(key, part, SUBSEP)
        c = clock[key] == "" ? "-" : sprintf("%.1f (%s)", median(clock[key]), range(clock[key]))
        printf "| %s | %s | %s | %d | %.0f | %d | %s | %s |\n", label[key], part[2], part[3], runs[key], median(pps[key]),
          clean[key], stat[key] == "" ? "-" : sprintf("%.0f", median(stat[key])), c
        m[key] = clock[key] == "" ? "" : median(clock[key]); free[key] = clean[key] == runs[key]
        if (!((part[2] SUBSEP part[3]) in point)) { point[part[2] SUBSEP part[3]] = 1; points[++npoints] = part[2] SUBSEP part[3] }
      }
      print ""
      for (n = 1; n <= npoints; n++) {
        p = points[n]
        split(p, part, SUBSEP); at = part[1] " B at " part[2]
        a = "afpacket" SUBSEP p; t = "tcpdump" SUBSEP p; x = "afxdp" SUBSEP p
        if ((a in m) && (t in m) && m[a] != "" && m[t] != "")
          printf "issue 3, %s: afpacket %.1f ns a packet against tcpdump %.1f (%.0f%%; target <= 50%%), %s: %s\n", at, m[a], m[t],
            100 * m[a] / m[t], free[t] && !free[a] ? "lost packets where tcpdump did not" : "loss-free wherever tcpdump was",
            m[a] <= m[t] / 2 && !(free[t] && !free[a]) ? "PASS" : "MISS"
        if ((x in m) && m[x] != "") {
          lowest = 1; beaten = ""
          for (q = 1; q <= count; q++) {
            split(order[q], o, SUBSEP)
            if (o[2] SUBSEP o[3] == p && o[1] != "afxdp" && m[order[q]] != "" && m[order[q]] + 0 < m[x] + 0) {
              lowest = 0; beaten = beaten sprintf("%s%s %.1f", beaten == "" ? "" : ", ", o[1], m[order[q]])
            }
          }
          lossy = (a in free) && free[a] && !free[x]
          printf "issue 4 (7b), %s: afxdp %.1f ns a packet, %s, %s: %s\n", at, m[x],
            lowest ? "the lowest in the table" : "above " beaten, lossy ? "lost packets where afpacket did not" : "loss-free wherever afpacket was",
            lowest && !lossy ? "PASS" : "MISS"
        }
      }
    }' "$1"
}

# --- the table ----------------------------------------------------------------------------------------------------------
mkdir -p "$repo/bench/results"
out=$repo/bench/results/capture-$(date -u +%Y%m%dT%H%M%SZ).md
{
  echo "# bench/capture.sh, $(date -u '+%Y-%m-%d %H:%M:%S UTC'), $(uname -r), $(nproc --all) CPUs"
  echo
  echo "Sender \`ringcap generate\` on CPU 0, capturer on CPU 1, ${seconds} s per run, one group, veth between two"
  echo "namespaces. CPU = the capturer process's utime+stime (all threads) from the first packet to ${settle} s after the"
  echo "last, per captured packet: from /proc/PID/stat (${clk_tck} Hz ticks) and from its CPU clock (ns). On veth the"
  echo "kernel's receive work runs on the sender's CPU (0), so it is not in these figures."
  echo
  echo "| capturer | payload B | target rate | achieved pps | sent | captured | dropped: sent − captured; own counter | CPU ns/pkt (stat) | CPU ns/pkt (clock) |"
  echo "|---|---:|---:|---:|---:|---:|---|---:|---:|"
} | tee "$out"
for (( round = 1; round <= rounds; round++ )); do
  (( rounds > 1 )) && echo "capture.sh: round $round of $rounds" >&2
  for size in $sizes; do
    for rate in $rates; do
      for name in $capturers; do
        case $name in
          tcpdump) [[ -n $have_tcpdump ]] || { (( round == 1 )) && echo "| tcpdump | $size | $rate | not installed (apt-get install tcpdump) | | | | | |" | tee -a "$out"; continue; } ;;
          netsniff-ng) [[ -n $have_netsniff ]] || { (( round == 1 )) && echo "| netsniff-ng | $size | $rate | $netsniff_why | | | | | |" | tee -a "$out"; continue; } ;;
          xdpdump) command -v xdpdump >/dev/null || { (( round == 1 )) && echo "| xdpdump | $size | $rate | not installed (apt-get install xdp-tools) | | | | | |" | tee -a "$out"; continue; } ;;
          afxdp|afpacket|udp|datagramchannel) ;;
          *) die "unknown capturer $name (afxdp afpacket udp tcpdump netsniff-ng xdpdump datagramchannel)" ;;
        esac
        run "$name" "$size" "$rate" >"$work/row"   # not in a pipeline: capturer_pid must stay visible to cleanup
        tee -a "$out" <"$work/row"
      done
    done
  done
done
if (( rounds > 1 )) && [[ -s $work/rows.tsv ]]; then
  echo | tee -a "$out"
  median_table "$work/rows.tsv" | tee -a "$out"
fi
echo | tee -a "$out"
echo "Written to $out" >&2
