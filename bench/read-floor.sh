#!/usr/bin/env bash
# What reading the kernel's ring costs a capture on its own, and what writing the packet ring adds to it. Builds a
# scratch copy of this checkout with bench/read-floor.patch applied: there the receive loop (afpacket's
# TpacketV3Reader, afxdp's XskSocket) still reads every packet's metadata and every frame byte and hands the kernel
# its memory back, but writes nothing into the packet ring. Then runs bench/capture-threads.sh with this checkout's
# build and the floor's in turn, ROUNDS times each, and prints the capture thread's and the whole process's CPU a
# packet side by side. The floor is what no capture that reads every byte can go under on this machine; the
# difference is the packet ring's share.
#
#   sudo bench/read-floor.sh afpacket max          # 3 rounds of 5 s, 64-byte payloads
#   sudo BENCH_ROUNDS=5 bench/read-floor.sh afxdp 100k 10
#
# Arguments: SOURCE (afpacket or afxdp), RATE (generator --rate, default max), SECONDS measured a run (default 5).
# Environment: BENCH_ROUNDS (default 3), BENCH_SIZE and BENCH_WARMUP (as for capture-threads.sh). Packets are the
# ones the generator sent (the floor's ring stays empty), so a run whose capture reported drops is marked.
set -euo pipefail
export LC_ALL=C

die() { echo "read-floor.sh: $*" >&2; exit 2; }

(( $# >= 1 )) || die "usage: read-floor.sh SOURCE [RATE] [SECONDS]"
source=$1 rate=${2:-max} seconds=${3:-5}
[[ $source == afpacket || $source == afxdp ]] || die "SOURCE must be afpacket or afxdp, not '$source'"
[[ $seconds =~ ^[0-9]+$ ]] || die "SECONDS must be a whole number, not '$seconds'"
rounds=${BENCH_ROUNDS:-3}
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "BENCH_ROUNDS must be a whole number of at least 1, not '$rounds'"
[[ $(id -u) == 0 ]] || die "needs root (network namespaces, veth, AF_PACKET/AF_XDP): run it with sudo"
command -v git >/dev/null || die "needs git (apt-get install git)"

repo=$(cd "$(dirname "$0")/.." && pwd)
if [[ -z ${JAVA_HOME:-} && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
"$repo/ringcap" --version >/dev/null || die "ringcap does not build/run: try $repo/ringcap --help"

floor=$(mktemp -d /tmp/ringcap-read-floor.XXXXXX)
trap 'rm -rf "$floor"' EXIT
trap 'exit 130' INT TERM

# The working tree as it is (uncommitted changes included), so the two builds differ by the patch alone.
git -C "$repo" ls-files -z --cached --others --exclude-standard --deduplicate | (cd "$repo" &&
  while IFS= read -r -d '' file; do [[ -e $file ]] && printf '%s\0' "$file"; done | xargs -0 cp --parents -t "$floor")
git -C "$floor" init -q
git -C "$floor" apply --check "$repo/bench/read-floor.patch" 2>/dev/null \
  || die "bench/read-floor.patch no longer applies to this checkout: update it to the receive loops as they are"
git -C "$floor" apply "$repo/bench/read-floor.patch"
echo "read-floor.sh: building the patched copy in $floor ..." >&2
"$floor/ringcap" --version >/dev/null || die "the patched copy does not build (output above)"

run() { # BUILD_ROOT LABEL FIGURES_NAME
  local out
  out=$(BENCH_PACKETS=sent BENCH_REPO=$1 "$repo/bench/capture-threads.sh" "$source" "$rate" "$seconds" 2>&1) \
    || { echo "$out" >&2; die "capture-threads.sh failed for the $2 build"; }
  local packets capture all drops
  packets=$(sed -n 's/.*: \([0-9]*\) packets in the measured.*/\1/p' <<<"$out")
  capture=$(awk '$1 == "ringcap-capture" { print $3 }' <<<"$out")
  all=$(awk '$1 == "all" && $2 == "threads" { print $4 }' <<<"$out")
  drops=$(sed -n 's/^drops reported by the capture: //p' <<<"$out")
  printf '| %s | %d | %s | %s | %s | %s |\n' "$2" "$round" "$packets" "$capture" "$all" "${drops:-?}"
  printf '%s %s\n' "$capture" "$all" >>"$floor/$3.figures"
}

median() { # FILE COLUMN
  sort -n -k"$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "ringcap capture --source $source --idle park at --rate $rate, $seconds s measured a run, $rounds rounds"
echo "(bench/capture-threads.sh for each build in turn; CPU ns a packet sent)"
echo
echo "| build | round | packets sent | capture thread ns/packet | all threads ns/packet | drops |"
echo "|---|---:|---:|---:|---:|---:|"
for round in $(seq "$rounds"); do
  run "$repo" "ringcap" ringcap
  run "$floor" "read floor (nothing written)" floor
done
echo
printf 'Medians, CPU ns a packet: ringcap %s (capture thread %s), read floor %s (capture thread %s);' \
  "$(median "$floor/ringcap.figures" 2)" "$(median "$floor/ringcap.figures" 1)" \
  "$(median "$floor/floor.figures" 2)" "$(median "$floor/floor.figures" 1)"
echo " the packet ring's share is the difference."
