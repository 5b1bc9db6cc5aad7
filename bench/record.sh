#!/usr/bin/env bash
# Recorder throughput: a pre-filled ring recorded to disk by ringcap's recorder (buffered, and with --direct),
# against dd of the same number of bytes (with and without oflag=direct), fio writing them with O_DIRECT (if
# installed: apt-get install fio) and 'tcpdump -r in.pcap -w out.pcap' on the same packets, for 64- and
# 1500-byte frames. Every run ends with its data forced to disk (ringcap: --fsync rotate; dd: conv=fsync; fio:
# end_fsync=1; tcpdump: sync of the output file). Prints a markdown table, then issue 5's targets judged: the
# recorder with O_DIRECT at >= 90% of dd oflag=direct and of fio (the disk's sequential bandwidth; dd reads
# /dev/zero between its writes, fio does not), and faster than tcpdump.
#
#   bench/record.sh [RING_SIZE] [OUT_DIR]     defaults: 4g, /var/tmp/ringcap-bench (must be on the disk to measure)
#   BENCH_ROUNDS=N bench/record.sh           rounds of the recorder and dd (default 3); each row is the round with
#                                             the median rate (tcpdump: one round, it takes ~17 s at 4g)
#
# A recorder's rate is a steady state, as for a recorder that runs for hours. So each timed recording follows an
# untimed one of a 128 MiB ring in the same JVM, and runs compiled code: without that, the first ~0.2 s of a
# run were spent in the interpreter (its memory-segment accesses cost ~70 us a 1500-byte packet there), 7-8% of
# a 4g run. A run still pays opening the ring and the file, and its last forced writes (~0.1 s, ~3% at 4g).
#   BENCH_RING_DIR=/dev/hugepages bench/record.sh 2g    the ring on hugetlbfs, as production rings are (needs free
#                                                        huge pages: sysctl vm.nr_hugepages)
#
# ringcap figures are timed inside the JVM (from opening the ring to the last file renamed and forced): JVM start
# (~0.3 s) is left out, as it is for a recorder that runs for hours. dd and tcpdump are timed as processes.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
ring_size=${1:-4g}
rounds=${BENCH_ROUNDS:-3}
out=${2:-/var/tmp/ringcap-bench}
ring_dir=${BENCH_RING_DIR:-/dev/shm}

if [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
  export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
fi
java=$JAVA_HOME/bin/java
for tool in dd tcpdump; do
  command -v $tool >/dev/null || { echo "record.sh: needs $tool (apt-get install tcpdump coreutils)" >&2; exit 2; }
done
have_fio=$(command -v fio || true)
[[ -n $have_fio ]] || echo "record.sh: fio not installed (apt-get install fio): the disk is measured by dd alone" >&2
if [[ ! -d $repo/record/target/classes || -n $(find "$repo/record/src/main" "$repo/pcap/src/main" "$repo/ring/src/main" "$repo/linux/src/main" \
    -newer "$repo/record/target/classes" -print -quit) ]]; then
  echo "record.sh: building the record module" >&2
  (cd "$repo" && ./mvnw -B -q -pl record -am install -DskipTests)
fi
cp=$repo/linux/target/classes:$repo/ring/target/classes:$repo/pcap/target/classes:$repo/record/target/classes

work=$(mktemp -d)
ring=$ring_dir/ringcap-bench-$$.ring
warm_up_ring=/dev/shm/ringcap-bench-$$-warm-up.ring
# A recorder leaves its status directory beside the ring, or for a ring on hugetlbfs in /dev/shm (ReaderStatusDescriptor).
trap 'rm -rf "$work" "$ring" "$ring.readers" "/dev/shm/ringcap${ring//\//_}.readers" "$warm_up_ring" "$warm_up_ring.readers" "$out"' EXIT
mkdir -p "$out"

cat > "$work/RecordBench.java" <<'JAVA'
import io.ringcap.pcap.PcapWriter;
import io.ringcap.record.*;
import io.ringcap.ring.*;
import java.lang.foreign.*;
import java.nio.channels.FileChannel;
import java.nio.file.*;

/** fill RING SIZE FRAME_LENGTH | record RING DIR WARM_UP_RING direct? | pcap RING FILE */
public class RecordBench {
    public static void main(String[] a) throws Exception {
        switch (a[0]) {
            case "fill" -> {
                long capacity = Sizes.parse(a[2]);
                int length = Integer.parseInt(a[3]);
                RingFile.create(Path.of(a[1]), capacity, true).close();
                MemorySegment frame = Arena.ofAuto().allocate(length);
                for (int i = 0; i < length; i++) frame.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 7));
                // Less than a lap: the writer announces up to 1 MiB ahead, and what it announced counts as overwritten.
                long count = (capacity - (4L << 20)) / RecordDescriptor.alignedRecordLength(length);
                long t0 = System.currentTimeMillis() * 1_000_000L;
                try (RingWriter w = RingWriter.open(Path.of(a[1]), TimestampSource.USER, "bench")) {
                    for (long i = 0; i < count; i++) {
                        w.write(frame, 0, length, length, t0 + i, 0, 0);
                        if ((i & 1023) == 1023) w.publish();
                    }
                }
                System.out.println(count);
            }
            case "record" -> {
                boolean direct = a.length > 4;
                // Untimed: a small ring recorded first, so that the timed recording runs compiled code.
                Path warmUp = Path.of(a[2] + "-warm-up");
                record(Path.of(a[3]), warmUp, direct);
                try (var files = Files.walk(warmUp)) {
                    for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
                }
                long start = System.nanoTime();
                RecorderStatus status = record(Path.of(a[1]), Path.of(a[2]), direct);
                long nanos = System.nanoTime() - start;
                long bytes = 0;
                try (var files = Files.list(Path.of(a[2]))) {
                    for (Path p : files.filter(p -> p.toString().endsWith(".pcapng")).toList()) bytes += Files.size(p);
                }
                System.out.println(status.packets() + " " + bytes + " " + nanos);
            }
            case "pcap" -> {
                try (RingReader reader = RingReader.open(Path.of(a[1]), RingReader.Start.OLDEST);
                     FileChannel out = FileChannel.open(Path.of(a[2]), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                     PcapWriter writer = new PcapWriter(out, 1, 65535)) {
                    while (reader.poll(r -> {
                        try {
                            writer.writePacket(r.timestampNanos(), r.buffer(), r.frameOffset(), r.capturedLength(), r.originalLength());
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }, 4096) > 0) { }
                }
            }
            default -> throw new IllegalArgumentException(a[0]);
        }
    }

    /** Records the whole of {@code ring} into {@code directory}, as `ringcap record --until-closed` would. */
    static RecorderStatus record(Path ring, Path directory, boolean direct) throws Exception {
        RecorderOptions options = RecorderOptions.of(ring, directory).withRotation(1L << 40, 0)
            .withFsync(FsyncPolicy.ROTATE).withDirect(direct).withUntilClosed(true);
        try (Recorder recorder = Recorder.open(options, System.err::println)) {
            recorder.run(() -> true);
            recorder.close();
            return recorder.status();
        }
    }
}
JAVA
bench() { "$java" --enable-native-access=ALL-UNNAMED -Xmx1g -cp "$cp" "$work/RecordBench.java" "$@"; }
now() { date +%s%N; }
declare -A rate    # "frame writer" -> median GB/s
declare -A samples # "frame writer" -> "packets bytes nanos" lines, one a round
order=()           # keys in the order first measured
sample() { # name frame packets bytes nanos
  local key="$2 $1"
  [[ -n ${samples[$key]+set} ]] || order+=("$key")
  samples[$key]+="$3 $4 $5"$'\n'
}
# One table row a writer: the round with the median rate, and the slowest and fastest rates.
rows() {
  local key name frame line
  for key in "${order[@]}"; do
    frame=${key%% *}; name=${key#* }
    line=$(printf '%s' "${samples[$key]}" | awk -v n="$name" -v f="$frame" '
      NF == 3 { p[NR] = $1; b[NR] = $2; t[NR] = $3; r[NR] = $2 / $3; count = NR }
      END {
        for (i = 1; i <= count; i++) order[i] = i
        for (i = 1; i <= count; i++) for (j = i + 1; j <= count; j++) if (r[order[j]] < r[order[i]]) {
          x = order[i]; order[i] = order[j]; order[j] = x }
        m = order[int((count + 1) / 2)]
        printf "%.2f| %s | %s | %.0f | %.3f | %.2f | %.2f–%.2f | %.2f | %d |\n", r[m], f, n, b[m] / 1e6, t[m] / 1e9,
          r[m], r[order[1]], r[order[count]], p[m] / t[m] * 1e3, count }')
    rate[$key]=${line%%|*}
    echo "|${line#*|}"
  done
}
# judge TITLE RINGCAP OTHER MIN_PERCENT: one line, PASS if ringcap's median rate is at least MIN_PERCENT of the
# other's at every frame size.
judge() {
  local verdict=PASS details=""
  for length in 64 1500; do
    local percent
    percent=$(awk -v a="${rate["$length $2"]}" -v b="${rate["$length $3"]}" 'BEGIN { printf "%.0f", a / b * 100 }')
    details+="${details:+; }$length B ${rate["$length $2"]} vs ${rate["$length $3"]} GB/s, $percent%"
    (( percent >= $4 )) || { verdict=MISS; details+=" MISS"; }
  done
  echo "$1: $verdict ($details)"
}

for length in 64 1500; do
  packets=$(bench fill "$ring" "$ring_size" "$length")
  bench fill "$warm_up_ring" 128m "$length" >/dev/null
  # Rounds interleave the writers, so that a disk slower for a while slows them all alike.
  for round in $(seq "$rounds"); do
    for mode in buffered direct; do
      rm -rf "$out/rec"
      read -r recorded bytes nanos < <(bench record "$ring" "$out/rec" "$warm_up_ring" ${mode/buffered/})
      [[ $recorded == "$packets" ]] || echo "record.sh: recorded $recorded of $packets packets" >&2
      sample "ringcap record ($mode)" "$length" "$recorded" "$bytes" "$nanos"
    done
    rm -rf "$out/rec"
    blocks=$(( (bytes + 4194303) / 4194304 ))
    for flag in "" "oflag=direct"; do
      rm -f "$out/dd"
      t0=$(now); dd if=/dev/zero of="$out/dd" bs=4M count=$blocks conv=fsync $flag status=none; t1=$(now)
      sample "dd bs=4M conv=fsync ${flag}" "$length" "$packets" "$((blocks * 4194304))" "$((t1 - t0))"
    done
    rm -f "$out/dd"
    if [[ -n $have_fio ]]; then
      # dd reads /dev/zero into its buffer before each write, so the disk idles meanwhile; fio writes the same
      # buffer again and again, and so measures the disk alone. Its own job time: its start (~0.3 s) left out.
      millis=$(fio --name=record-bench --filename="$out/fio" --rw=write --bs=4M --size=$((blocks * 4194304)) \
        --direct=1 --ioengine=psync --iodepth=1 --end_fsync=1 --output-format=json |
        sed -n 's/.*"job_runtime" *: *\([0-9]*\).*/\1/p' | head -n 1)
      sample "fio bs=4M direct=1 psync end_fsync=1" "$length" "$packets" "$((blocks * 4194304))" "$((millis * 1000000))"
      rm -f "$out/fio"
    fi
  done
  rm -f "$out/in.pcap" "$out/out.pcap"
  bench pcap "$ring" "$out/in.pcap"
  sync "$out/in.pcap"
  t0=$(now); tcpdump -r "$out/in.pcap" -w "$out/out.pcap" 2>/dev/null; sync "$out/out.pcap"; t1=$(now)
  sample "tcpdump -r in.pcap -w out.pcap" "$length" "$packets" "$(stat -c %s "$out/out.pcap")" "$((t1 - t0))"
  rm -f "$out/in.pcap" "$out/out.pcap"
done
echo "| frame | writer | MB | s | GB/s | GB/s slowest–fastest | Mpps | rounds |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
rows
echo
judge "ringcap record --direct >= 90% of dd oflag=direct (issue 5)" "ringcap record (direct)" \
  "dd bs=4M conv=fsync oflag=direct" 90
if [[ -n $have_fio ]]; then
  judge "ringcap record --direct >= 90% of fio direct=1 (issue 5, the disk without dd's reads)" "ringcap record (direct)" \
    "fio bs=4M direct=1 psync end_fsync=1" 90
fi
judge "ringcap record --direct faster than tcpdump -r -w (issue 5)" "ringcap record (direct)" \
  "tcpdump -r in.pcap -w out.pcap" 101
judge "ringcap record (buffered) >= 90% of dd buffered (informational: both measure the page cache's writeback, see bench/README.md)" "ringcap record (buffered)" \
  "dd bs=4M conv=fsync " 90
