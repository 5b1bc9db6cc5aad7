#!/usr/bin/env bash
# Runs the full JMH suite of the ring benchmarks (about 10 minutes), building the benchmarks jar first when it
# is missing or older than the sources. Results go to bench/results/ (gitignored): the JMH log as .txt, the
# scores as .json. Extra arguments go to JMH, e.g. `bench/ring.sh RingPublish -p ringSize=1g`.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
jar=$repo/bench/target/benchmarks.jar
results=$repo/bench/results

java_feature() {
  "$1" --version 2>/dev/null | head -n 1 | awk '{ print $2 }' | cut -d. -f1
}

if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java && $(java_feature "$JAVA_HOME/bin/java") -ge 25 ]]; then
  :
elif [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
else
  echo "ring.sh: needs a JDK 25 or newer: set JAVA_HOME to one" >&2
  exit 2
fi

if [[ ! -f $jar || -n $(find "$repo/pom.xml" "$repo/ring/pom.xml" "$repo/ring/src/main" "$repo/bench/pom.xml" \
    "$repo/bench/src" -newer "$jar" -print -quit) ]]; then
  echo "ring.sh: building $jar" >&2
  (cd "$repo" && ./mvnw -B -q -pl bench -am install -DskipTests)
fi

mkdir -p "$results"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
echo "ring.sh: writing $results/ring-$stamp.txt and .json" >&2
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$jar" -prof gc \
  -rf json -rff "$results/ring-$stamp.json" "$@" | tee "$results/ring-$stamp.txt"
