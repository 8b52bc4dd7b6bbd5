# shellcheck shell=sh
# Sourced by ./graft, ./mvnw and .ci/run: points JAVA_HOME at a JDK 25 or newer.
# Keeps JAVA_HOME when it already is one; otherwise searches the usual install places.
# On failure prints one line naming what to install and returns 1.

graft_java_major() {
  # Prints the feature version of the JDK at $1 ("25"), or nothing.
  [ -x "$1/bin/javac" ] || return 0
  # The release file every JDK ships states its version; reading it saves starting a JVM per candidate (about
  # 0.05 CPU-seconds each, paid by every graft command). Starting java answers for a JDK without one.
  v=
  [ -f "$1/release" ] && v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$1/release")
  [ -n "$v" ] || v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
  case "$v" in 1.*) v=${v#1.};; esac
  printf '%s' "${v%%.*}"
}

graft_select_jdk() {
  want=25
  if [ -n "${JAVA_HOME:-}" ]; then
    m=$(graft_java_major "$JAVA_HOME")
    if [ -n "$m" ] && [ "$m" -ge "$want" ]; then return 0; fi
  fi
  best=""; best_major=0
  # Callers such as mvnw run under `set -f`; the search needs globbing.
  case $- in *f*) graft_noglob=1; set +f;; *) graft_noglob=0;; esac
  for c in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* \
           "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* \
           /Library/Java/JavaVirtualMachines/*/Contents/Home \
           "$(dirname "$(dirname "$(readlink -f "$(command -v javac 2>/dev/null || echo /nonexistent)")")")"; do
    [ -d "$c" ] || continue
    m=$(graft_java_major "$c")
    [ -n "$m" ] || continue
    if [ "$m" -ge "$want" ] && [ "$m" -gt "$best_major" ]; then best=$c; best_major=$m; fi
  done
  [ "$graft_noglob" = 0 ] || set -f
  if [ -z "$best" ]; then
    echo "graft: no JDK $want or newer found (JAVA_HOME=${JAVA_HOME:-unset}; searched /usr/lib/jvm, /opt, ~/.sdkman, ~/.jdks, /Library/Java). Install one (e.g. Temurin $want) or set JAVA_HOME." >&2
    return 1
  fi
  JAVA_HOME=$best
  export JAVA_HOME
}
