# Finds a JDK 25 or newer for ringcap's scripts. Source it, then call find_java_home.
# Order: JAVA_HOME if it is new enough, else the newest JDK 25+ under /usr/lib/jvm or behind 'java' on the
# PATH; otherwise it says what to install and returns 1.

readonly RINGCAP_REQUIRED_JAVA=25

# Feature version (25 for 25.0.3, 8 for 1.8.0_412) of the JDK at $1; nothing if there is no java there.
java_version() {
    local home="$1" version=""
    [[ -n "$home" && -x "$home/bin/java" ]] || return 0
    if [[ -f "$home/release" ]]; then
        version="$(sed -n 's/^JAVA_VERSION="\(.*\)"$/\1/p' "$home/release")"
    fi
    if [[ -z "$version" ]]; then
        version="$("$home/bin/java" -version 2>&1 | sed -n '1s/.* version "\([^"]*\)".*/\1/p' || true)"
    fi
    version="${version#1.}"
    version="${version%%[.+-]*}"
    if [[ "$version" =~ ^[0-9]+$ ]]; then
        echo "$version"
    fi
}

find_java_home() {
    local candidate version best="" best_version=0 path_java
    if [[ -n "${JAVA_HOME:-}" ]]; then
        version="$(java_version "$JAVA_HOME")"
        if [[ -n "$version" && "$version" -ge "$RINGCAP_REQUIRED_JAVA" ]]; then
            echo "$JAVA_HOME"
            return
        fi
    fi
    path_java="$(readlink -f "$(command -v java)" 2>/dev/null || true)"
    for candidate in /usr/lib/jvm/*/ "${path_java%/bin/java}"; do
        candidate="${candidate%/}"
        version="$(java_version "$candidate")"
        if [[ -n "$version" && "$version" -ge "$RINGCAP_REQUIRED_JAVA" && "$version" -gt "$best_version" ]]; then
            best="$candidate"
            best_version="$version"
        fi
    done
    if [[ -z "$best" ]]; then
        local found="${JAVA_HOME:+JAVA_HOME=$JAVA_HOME is Java $(java_version "$JAVA_HOME"); }"
        echo "ringcap: this needs JDK $RINGCAP_REQUIRED_JAVA or newer and found none (${found}searched /usr/lib/jvm and the PATH):" \
            "install Temurin $RINGCAP_REQUIRED_JAVA (e.g. 'apt-get install temurin-$RINGCAP_REQUIRED_JAVA-jdk') or set JAVA_HOME to a JDK $RINGCAP_REQUIRED_JAVA" >&2
        return 1
    fi
    echo "$best"
}
