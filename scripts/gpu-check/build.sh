#!/bin/sh
# Builds the self-contained GPU check: a jlinked Java runtime (only the modules Graft needs) plus Graft's jars and
# the CUDA backend's contract tests, WITHOUT the ND4J/OpenBLAS natives (the GPU machine's CUDA libraries do the
# work), into one folder that a machine without a JDK runs with its run.sh.
#
# Usage: scripts/gpu-check/build.sh [OUT]      (OUT defaults to target/gpu-check in the checkout)
#        scripts/gpu-check/build.sh --with-cpu-natives [OUT]
#   --with-cpu-natives also copies ND4J's and OpenBLAS's linux-x86_64 native jars (about 100 MiB) into
#   OUT-cpu-natives, outside the bundle, for run.sh's CPU rows (GRAFT_CPU_NATIVES=OUT-cpu-natives).
# Prints the bundle's size; fails if it is 60 MiB or more.
set -eu

with_natives=0
if [ "${1:-}" = "--with-cpu-natives" ]; then
  with_natives=1
  shift
fi
root=$(CDPATH='' cd -- "$(dirname -- "$0")/../.." && pwd -P)
out=${1:-$root/target/gpu-check}
. "$root/scripts/select-jdk.sh"
graft_select_jdk
jdk=$JAVA_HOME

cd "$root"
echo "gpu-check: building Graft (offline, tests compiled, not run)"
./mvnw -o -q -pl cli,linalg-cuda -am package -DskipTests
./mvnw -o -q -pl linalg-cuda dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$root/linalg-cuda/target/test-classpath.txt"

rm -rf "$out"
mkdir -p "$out/lib" "$out/test"
# The natives are the platform-classified JavaCPP jars (nd4j-native-...-linux-x86_64.jar, openblas-...-linux-...).
is_native() {
  case $(basename "$1") in
    *-linux-x86_64.jar|*-linux-arm64.jar|*-macosx-*.jar|*-windows-*.jar) return 0 ;;
    *) return 1 ;;
  esac
}
natives=""
# Third-party jars from the classpaths; Graft's own from this checkout's target folders, never ~/.m2's.
for jar in $(tr ':' '\n' < cli/target/classpath.txt) $(tr ':' '\n' < linalg-cuda/target/test-classpath.txt); do
  case $jar in
    */dev/graft/*|"$root"/*) continue ;;
  esac
  if is_native "$jar"; then
    natives="$natives $jar"
    continue
  fi
  cp -n "$jar" "$out/lib/"
done
for module in formats linalg linalg-cuda merge-core algorithms test-models evaluation cli; do
  cp "$module/target/graft-$module-0.1.0-SNAPSHOT.jar" "$out/lib/"
done
cp linalg/target/graft-linalg-0.1.0-SNAPSHOT-tests.jar linalg-cuda/target/graft-linalg-cuda-0.1.0-SNAPSHOT-tests.jar \
  "$out/test/"
# JUnit, AssertJ and their helpers serve only the contract tests.
rm -f "$out"/lib/byte-buddy-*.jar  # AssertJ's proxies (soft assertions), which the contract does not use: 9 MiB
for t in junit opentest4j apiguardian assertj commons-math3; do
  for f in "$out"/lib/$t*.jar; do
    [ -f "$f" ] && mv "$f" "$out/test/"
  done
done

echo "gpu-check: finding the JDK modules (jdeps)"
modules=$("$jdk/bin/jdeps" --multi-release 25 --ignore-missing-deps --print-module-deps \
  -cp "$out/lib/*:$out/test/*" "$out"/lib/graft-*.jar "$out"/test/graft-*.jar 2>/dev/null | tail -1)
# ND4J reaches sun.misc.Unsafe and the management beans reflectively, which jdeps cannot see.
modules="$modules,jdk.unsupported,java.management,java.logging"
# AWT (java.desktop) serves only graft eval's charts, java.compiler and java.instrument only build-time annotation
# and agent code (Byte Buddy): none runs in the check, and AWT alone is 6 MiB.
modules=$(echo "$modules" | tr ',' '\n' | grep -v -x -e java.desktop -e java.compiler -e java.instrument | sort -u \
  | paste -s -d, -)
# jlink needs the JDK's jmods (or a JDK built as a linkable run-time image, JEP 493); GRAFT_JMODS names another
# JDK 25's jmods folder where this one has neither.
jmods=${GRAFT_JMODS:-$jdk/jmods}
if [ ! -f "$jmods/java.base.jmod" ] && ! "$jdk/bin/jlink" --list-plugins 2>/dev/null | grep -q .; then
  echo "gpu-check: cannot run jlink" >&2
  exit 1
fi
module_path=""
[ -f "$jmods/java.base.jmod" ] && module_path="--module-path $jmods"
# --strip-debug, with libjvm's native symbols stripped by objcopy too where it exists (30 MiB to about 20).
strip="--strip-debug"
command -v objcopy >/dev/null && strip="--strip-java-debug-attributes --strip-native-debug-symbols=objcopy=$(command -v objcopy)"
echo "gpu-check: jlink --add-modules $modules $strip"
# shellcheck disable=SC2086
if ! "$jdk/bin/jlink" $module_path --add-modules "$modules" $strip --no-header-files --no-man-pages --compress=zip-9 \
  --output "$out/runtime" >"$out/jlink.log" 2>&1; then
  echo "gpu-check: jlink failed: $(tail -1 "$out/jlink.log") (JDK $jdk; where it has no jmods folder and is not" \
    "a linkable run-time image, set GRAFT_JMODS to a JDK 25's jmods folder)" >&2
  rm -rf "$out/runtime"
  echo "gpu-check: without the runtime, $out is $(du -sm "$out" | cut -f1) MiB of jars" >&2
  exit 1
fi
rm -f "$out/jlink.log"
cp scripts/gpu-check/run.sh "$out/run.sh"
chmod +x "$out/run.sh"

if [ $with_natives = 1 ]; then
  rm -rf "$out-cpu-natives"
  mkdir -p "$out-cpu-natives"
  for jar in $natives; do
    cp -n "$jar" "$out-cpu-natives/"
  done
  echo "gpu-check: CPU natives in $out-cpu-natives: $(du -sm "$out-cpu-natives" | cut -f1) MiB (not part of the bundle)"
fi

size_kib=$(du -sk "$out" | cut -f1)
size_mib=$(( (size_kib + 1023) / 1024 ))
echo "gpu-check: $out is $size_mib MiB ($size_kib KiB): runtime $(du -sm "$out/runtime" | cut -f1) MiB, jars $(du -sm "$out/lib" | cut -f1) MiB, tests $(du -sm "$out/test" | cut -f1) MiB"
if [ "$size_kib" -ge $((60 * 1024)) ]; then
  echo "gpu-check: the bundle is over the 60 MiB budget" >&2
  exit 1
fi
