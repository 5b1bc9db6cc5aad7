#!/usr/bin/env bash
# Runs every benchmark of bench/ in turn and writes one markdown report, bench/RESULTS.md: the machine, the date,
# and each benchmark's table as the benchmark printed it, ringcap beside the tools users would pick instead.
#
#   sudo bench/run-all.sh                   # about 38 minutes of both CPUs: ring (ringcap bench ring --forks 3, ~11 min; by ring size ~4 min),
#                                           # receive loops (~4 min), capture (64 B at 100k and max, 3 s each, 3 rounds, ~10 min),
#                                           # read floor (afpacket and afxdp at max, 3 rounds, ~5 min), record (a 4g ring, 3 rounds,
#                                           # ~5 min), end to end (~1.5 min)
#   sudo RUN_ALL_QUICK=1 bench/run-all.sh   # about 3 minutes, to check that everything runs: not figures to quote
#
# Without root, capture.sh and end-to-end.sh (network namespaces, AF_PACKET, XDP) are skipped and the report says so. A benchmark that
# fails does not stop the others: the report shows its exit status and the last lines it printed. Progress goes to
# stderr. Environment: RUN_ALL_QUICK=1 (smallest settings), RUN_ALL_OUT (report path, default bench/RESULTS.md),
# JAVA_HOME (a JDK 25), and the BENCH_* settings of capture.sh, which override run-all's.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
out=${RUN_ALL_OUT:-$repo/bench/RESULTS.md}
quick=${RUN_ALL_QUICK:-0}
if [[ -z ${JAVA_HOME:-} && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
work=$(mktemp -d /tmp/ringcap-run-all.XXXXXX)

say() { echo "run-all.sh: $*" >&2; }

# Runs "$@" with its stdout into $work/section and its stderr to ours; appends the section to the report.
section() {
  local title=$1 about=$2 status=0
  shift 2
  say "$title: $*"
  "$@" >"$work/section" || status=$?
  {
    echo "## $title"
    echo
    echo "$about"
    echo
    if [[ $(type -t "$1") != function ]]; then
      echo "Command: \`$*\`"
      echo
    fi
    if [[ $status -ne 0 ]]; then
      echo "**Failed with exit status $status.** Its last output:"
      echo
      echo '```'
      tail -n 20 "$work/section"
      echo '```'
    else
      # A script's own title becomes a sub-heading of its section.
      sed 's/^# /### /' "$work/section"
    fi
    echo
  } >>"$work/report"
}

# The JMH sections keep their rings and buffers on huge pages, as production rings run (bench/README.md, Pages): as
# root, run-all reserves the pages they need while they run and gives them back before the capture benchmarks, whose
# settings are their own. Without root or a hugetlbfs mount they run on normal pages, and their tables say so.
# A 256m ring file is 129 pages of 2 MiB; the ceiling's buffer of the same size follows it; and room to spare.
huge_pages_wanted=272
huge_mount=$(awk '$3 == "hugetlbfs" { print $2; exit }' /proc/mounts)
nr_hugepages_before=
huge_pages_free() { awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo; }
reserve_huge_pages() {
  local free
  [[ $(id -u) == 0 && -n $huge_mount ]] || return 0
  free=$(huge_pages_free)
  (( free >= huge_pages_wanted )) && return 0
  nr_hugepages_before=$(cat /proc/sys/vm/nr_hugepages)
  echo $(( nr_hugepages_before + huge_pages_wanted - free )) >/proc/sys/vm/nr_hugepages 2>/dev/null || true
}
release_huge_pages() {
  if [[ -n $nr_hugepages_before ]]; then
    echo "$nr_hugepages_before" >/proc/sys/vm/nr_hugepages 2>/dev/null || true
    nr_hugepages_before=
  fi
}
# True when the JMH sections can have their huge pages.
on_huge_pages() { [[ -n $huge_mount ]] && (( $(huge_pages_free) >= huge_pages_wanted )); }
trap 'release_huge_pages; rm -rf "$work"' EXIT

skipped() {
  printf '## %s\n\nSkipped: %s\n\n' "$1" "$2" >>"$work/report"
  say "skipped $1: $2"
}

# Runs the JMH benchmarks jar with "$@"; builds it first if it is missing (bench/ring.sh and the launcher build it too).
jmh() {
  local jar=$repo/bench/target/benchmarks.jar
  if [[ ! -f $jar ]]; then
    (cd "$repo" && ./mvnw -B -q -pl bench -am install -DskipTests) >&2
  fi
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$jar" "$@"
}

# A few JMH iterations of the 64-byte rows only: proves the ring benchmark runs, in seconds.
ring_quick() {
  jmh 'RingPublishBenchmark.publishBatch32|BroadcastTransmitBenchmark.transmit|CopyCeilingBenchmark' \
    -p frameSize=64 -p readers=0 -f 1 -wi 1 -i 1 -w 300ms -r 300ms >"$work/jmh"
  echo '```'
  sed -n '/^Benchmark /,$p' "$work/jmh"
  echo '```'
}

# Publish of 64- and 256-byte frames batched by 32 at several ring sizes, beside Agrona's transmit, the bare stores
# of each record's bytes, its header's stores alone and the bare frame copy (JMH): where the ring outgrows the
# last-level cache, every line written is read from memory first, and the stores alone then cost what issue 2's
# targets leave to the whole ring.
ring_sizes() {
  local timing=(-wi 2 -i 3) sizes=8m,32m,64m,256m frames=64,256
  [[ $quick == 1 ]] && { timing=(-wi 1 -i 1 -w 300ms -r 300ms); sizes=8m,64m; }
  local pages=()
  if on_huge_pages; then
    pages=(-jvmArgsPrepend "-Dringcap.bench.dir=$huge_mount")
    echo "Buffers on hugetlbfs $huge_mount."
  else
    echo "Buffers on tmpfs /dev/shm (normal pages): run-all could not reserve $huge_pages_wanted huge pages (that needs"
    echo "root and a hugetlbfs mount)."
  fi
  echo
  jmh 'RingPublishBenchmark.publishBatch32|BroadcastTransmitBenchmark.transmit|CopyCeilingBenchmark.copy|RecordStoreCeilingBenchmark.store' \
    -p frameSize=$frames -p readers=0 -p ringSize=$sizes -f 1 "${timing[@]}" "${pages[@]}" -rf csv -rff "$work/sizes.csv" \
    >"$work/jmh"
  echo "| ring | frame B | ringcap publish, batch 32, ns/record | Agrona transmit, ns/message | the record's bytes stored, ns/record | its header's 4 stores alone, ns/record | the frame copied, ns/frame | ringcap less the stores, ns |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
  awk -F, -v frameList="$frames" '
    { gsub(/["\r]/, ""); $0 = $0 }
    NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "Param: ringSize") sizeColumn = i; if ($i == "Param: frameSize") frameColumn = i }; next }
    { size = $sizeColumn; frame = $frameColumn; score[$1, size, frame] = $5
      if (!(size in seen)) { seen[size] = 1; order[++count] = size } }
    END {
      frameCount = split(frameList, frames, ",")
      for (n = 1; n <= count; n++) {
        size = order[n]
        for (f = 1; f <= frameCount; f++) {
          frame = frames[f]
          p = score["io.ringcap.bench.RingPublishBenchmark.publishBatch32", size, frame]
          a = score["io.ringcap.bench.BroadcastTransmitBenchmark.transmit", size, frame]
          st = score["io.ringcap.bench.RecordStoreCeilingBenchmark.store", size, frame]
          h = score["io.ringcap.bench.RecordStoreCeilingBenchmark.storeHeader", size, frame]
          c = score["io.ringcap.bench.CopyCeilingBenchmark.copy", size, frame]
          printf "| %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |\n", size, frame, p, a, st, h, c, p - st
          against = against sprintf("%s%s %s B %.1f vs %.1f ns%s", against == "" ? "" : "; ", size, frame, p, a, p <= a ? "" : " MISS (stores alone " sprintf("%.1f", st) " ns)")
          if (frame == 64) {
            verdict = verdict sprintf("%s%s %.1f ns%s", verdict == "" ? "" : "; ", size, p, p <= 15 ? "" : " MISS (stores alone " sprintf("%.1f", st) " ns)")
          }
        }
      }
      printf "\nringcap batched by 32 at least as fast as Agrona, by ring size and frame (issue 2, target a, no readers): %s\n", against
      printf "64-byte frames batched by 32 <= 15 ns each, by ring size (issue 2, target c): %s\n", verdict
    }' "$work/sizes.csv"
}

# The two capture sources' receive loops on in-memory kernel rings (JMH), each less its stand-in for the kernel.
receive_loops() {
  local timing=()
  [[ $quick == 1 ]] && timing=(-wi 1 -i 1 -w 300ms -r 300ms)
  local pages=normal
  if on_huge_pages; then
    pages=huge
    echo "Packet ring on hugetlbfs $huge_mount, afxdp's UMEM on huge pages (pages=huge)."
  else
    echo "Packet ring on tmpfs /dev/shm, afxdp's UMEM on normal pages (pages=normal): run-all could not reserve huge"
    echo "pages (that needs root and a hugetlbfs mount)."
  fi
  echo
  jmh 'XskReceiveBenchmark|AfPacketReceiveBenchmark' -f 1 ${timing[@]+"${timing[@]}"} -p ringSize=8m,64m \
    -p pages=$pages -prof gc -rf csv -rff "$work/loops.csv" >"$work/jmh"
  echo "| loop | frame B | ring | receive ns/packet | kernel stand-in ns/packet | loop alone ns/packet | receive B/packet |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  awk -F, '
    { gsub(/["\r]/, ""); $0 = $0 }
    NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "Param: frameSize") fc = i; if ($i == "Param: ringSize") rc = i }; next }
    {
      loop = $1 ~ /XskReceiveBenchmark/ ? "afxdp (XskSocket.poll)" : "afpacket (TpacketV3Reader.poll)"
      key = $fc "|" $rc
      if ($1 ~ /:gc\.alloc\.rate\.norm$/) {
        if ($1 ~ /\.receive:/) allocated[loop, key] = $5
        next
      }
      if ($1 ~ /:/) next
      n = split($1, name, ".")
      score[loop, key, name[n]] = $5
      loops[loop] = 1; keys[key] = 1
    }
    END {
      worst = 0
      for (loop in loops) for (key in keys) if ((loop, key, "receive") in score) {
        r = score[loop, key, "receive"]; k = score[loop, key, "kernelSideOnly"]; a = allocated[loop, key]
        split(key, part, "|")
        printf "| %s | %s | %s | %.1f | %.1f | %.1f | %.3f |\n", loop, part[1], part[2], r, k, r - k, a
        if (loop ~ /afxdp/ && part[1] == 64) target[part[2]] = r - k
        if (a > worst) worst = a
      }
      # 8m fits in the last-level cache: the loop alone. 64m is beyond it, as production rings are: the loop and
      # the memory the ring writes go to (see bench/README.md, Ring size).
      printf "\nafxdp receive loop <= 30 ns per 64-byte packet (issue 4): ring 8m (in the cache) %s (%.1f ns); ring 64m (beyond it) %s (%.1f ns)\n",
        target["8m"] <= 30 ? "PASS" : "MISS", target["8m"], target["64m"] <= 30 ? "PASS" : "MISS", target["64m"] >"/dev/stderr"
      # JMH counts the whole fork, its own per-iteration objects too: under 0.25 B a packet is none per packet.
      printf "0 bytes allocated per packet in both receive loops (issue 4, JMH -prof gc, < 0.25 B/packet): %s (worst %.3f B/packet)\n",
        worst < 0.25 ? "PASS" : "MISS", worst >"/dev/stderr"
    }' "$work/loops.csv" 2>"$work/loops-target" | sort -t'|' -k2,2 -k3,3n -k4,4
  cat "$work/loops-target"
}

# Each source at full rate as it is, and with nothing written to the packet ring (bench/read-floor.sh): the floor
# under any capture that reads every byte, beside which to judge issues 3 and 4's targets.
read_floors() {
  local seconds=5 rounds=${BENCH_ROUNDS:-3} warmup=${BENCH_WARMUP:-4}
  [[ $quick == 1 ]] && { seconds=1 rounds=1 warmup=1; }
  for source in afpacket afxdp; do
    BENCH_ROUNDS=$rounds BENCH_WARMUP=$warmup "$repo/bench/read-floor.sh" "$source" max "$seconds"
    echo
  done
}

cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
memory=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
{
  echo "# ringcap benchmark results"
  echo
  echo "Generated by \`bench/run-all.sh\`$([[ $quick == 1 ]] && echo ' with RUN_ALL_QUICK=1 (smallest settings: not figures to quote)'):"
  echo "do not edit by hand, run it again."
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| date | $(date -u '+%Y-%m-%d %H:%M:%S UTC') |"
  echo "| CPUs | $(nproc --all) × ${cpu_model:-unknown} |"
  echo "| memory | $memory |"
  echo "| kernel | $(uname -r) |"
  echo "| commit | $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown) |"
  echo
} >"$work/report"

reserve_huge_pages
if [[ $quick == 1 ]]; then
  section "Ring" "JMH, 64-byte frames, no readers, one short iteration: ringcap's batched publish beside Agrona's broadcast transmit and a bare memory copy (ns per record)." \
    ring_quick
else
  section "Ring" "ringcap's ring beside Agrona's broadcast buffer and a bare memory copy (see bench/README.md)." \
    "$repo/ringcap" bench ring --forks 3
fi

section "Ring size" "ringcap's publish of 64- and 256-byte frames batched by 32, no readers, at several ring sizes, beside Agrona's transmit, the bare stores of each record's bytes and of its header alone (RecordStoreCeilingBenchmark) and the bare frame copy (CopyCeilingBenchmark), JMH: the cost of a ring that outgrows the last-level cache (see bench/README.md)." \
  ring_sizes

section "Receive loops" "The afxdp and afpacket receive loops alone, JMH, on kernel rings played in plain memory (XskReceiveBenchmark, AfPacketReceiveBenchmark: see bench/README.md); the stand-in for the kernel runs on the same core, so cross-core misses are not in these figures." \
  receive_loops
release_huge_pages

if [[ $(id -u) -eq 0 ]]; then
  if [[ $quick == 1 ]]; then
    section "Capture" "ringcap's sources beside tcpdump over a veth pair (see bench/capture.sh)." \
      env BENCH_SECONDS="${BENCH_SECONDS:-1}" BENCH_SIZES="${BENCH_SIZES:-64}" BENCH_RATES="${BENCH_RATES:-20k}" \
      BENCH_CAPTURERS="${BENCH_CAPTURERS:-afpacket tcpdump}" BENCH_WARMUP="${BENCH_WARMUP:-1}" "$repo/bench/capture.sh"
  else
    section "Capture" "ringcap's sources beside tcpdump, netsniff-ng, xdpdump and a Java DatagramChannel over a veth pair (see bench/capture.sh)." \
      env BENCH_SECONDS="${BENCH_SECONDS:-3}" BENCH_SIZES="${BENCH_SIZES:-64}" BENCH_RATES="${BENCH_RATES:-100k max}" \
      BENCH_ROUNDS="${BENCH_ROUNDS:-3}" ${BENCH_CAPTURERS:+BENCH_CAPTURERS="$BENCH_CAPTURERS"} "$repo/bench/capture.sh"
  fi
  section "Read floor" "What reading the kernel's ring costs each source on its own: the same capture with nothing written to the packet ring (see bench/read-floor.sh)." \
    read_floors
else
  skipped "Capture" "needs root (network namespaces, veth, AF_PACKET, XDP): run bench/run-all.sh with sudo"
  skipped "Read floor" "needs root (network namespaces, veth, AF_PACKET, XDP): run bench/run-all.sh with sudo"
fi

section "Record" "ringcap's recorder beside dd and tcpdump writing the same bytes (see bench/record.sh)." \
  "$repo/bench/record.sh" "$([[ $quick == 1 ]] && echo 64m || echo 4g)"

if [[ $(id -u) == 0 ]]; then
  section "End to end" "Wire to disk at the generator's maximum rate, 1000-byte payloads: ringcap capture + ringcap record beside tcpdump -w and xdpdump -w (see bench/end-to-end.sh)." \
    env BENCH_SECONDS="$([[ $quick == 1 ]] && echo 1 || echo 10)" BENCH_RING_SIZE="$([[ $quick == 1 ]] && echo 256m || echo 4g)" \
    "$repo/bench/end-to-end.sh"
else
  skipped "End to end" "needs root (network namespaces, veth, AF_XDP): run bench/run-all.sh with sudo"
fi

mv "$work/report" "$out"
say "wrote $out"
