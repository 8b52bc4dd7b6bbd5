#!/bin/sh
# Runs the GPU check from the folder build.sh made, on a machine that needs no JDK: the CUDA backend's contract
# tests, then 'graft bench extract' on the cpu and cuda backends, and a table of both.
#
# Usage: ./run.sh            (in the bundle folder; SIDE=4096 RANK=64 by default)
# Environment: SIDE, RANK (the matrix benchmark), MODEL=1 (also the whole 1.1B-parameter extraction, ~5 GB in
#   TMPDIR), GRAFT_CPU_NATIVES (a folder of ND4J's and OpenBLAS's native jars, which the bundle leaves out: without
#   it the CPU rows say why they are missing), JAVA (a java to use where the bundle has no runtime folder).
set -u
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd -P)
java=${JAVA:-$here/runtime/bin/java}
side=${SIDE:-4096}
rank=${RANK:-64}
opts="--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow --add-modules jdk.incubator.vector"
cp="$here/lib/*"
if [ -n "${GRAFT_CPU_NATIVES:-}" ]; then
  cp="$cp:$GRAFT_CPU_NATIVES/*"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== CUDA backend contract (LinearAlgebraContract on cuda)"
# shellcheck disable=SC2086
"$java" $opts -cp "$cp:$here/test/*" dev.graft.linalg.cuda.ContractRunner
contract=$?
case $contract in
  0) contract_text="passed" ;;
  3) contract_text="skipped: no CUDA backend here" ;;
  *) contract_text="FAILED" ;;
esac

model_flag="--skip-model"
[ "${MODEL:-0}" = 1 ] && model_flag=""
for backend in cpu cuda; do
  echo "== graft --backend $backend bench extract (power-law delta ${side}x${side}, rank $rank)"
  # shellcheck disable=SC2086
  "$java" $opts -cp "$cp" dev.graft.cli.Main --backend "$backend" bench extract --side "$side" --rank "$rank" \
    --repeats 1 --delta power-law --sketch 10:2:2e-4 $model_flag >"$work/$backend.out" 2>"$work/$backend.err"
  echo "exit $?" >>"$work/$backend.err"
  cat "$work/$backend.out" "$work/$backend.err" | grep -v "^WARNING"
done

# The rows: exact SVD, randomized SVD and (with MODEL=1) the whole extraction, or the backend's one-line error.
row() {
  backend=$1
  out="$work/$backend.out"
  err=$(grep '^graft: ' "$work/$backend.err" | grep -v '^graft: note' | head -1)
  if [ -n "$err" ] || [ ! -s "$out" ]; then
    printf '| %-7s | %-9s | %-14s | %-10s | %-12s | %s\n' "$backend" "-" "-" "-" "-" "${err:-no output}"
    return
  fi
  exact=$(sed -n 's/.*exact sgesdd \([0-9.]*\) s.*/\1/p' "$out" | head -1)
  rand=$(sed -n 's/.*randomized p=[0-9 ]*q>=[^:]*: *\([0-9.]*\) s.*/\1/p' "$out" | head -1)
  energy=$(sed -n 's/.*s faster), energy \([0-9.]*\).*/\1/p' "$out" | head -1)
  model=$(sed -n 's/^extracted .* in \([0-9.]*\) s.*/\1/p' "$out" | head -1)
  printf '| %-7s | %-9s | %-14s | %-10s | %-12s | %s\n' "$backend" "${exact}s" "${rand}s" "$energy" \
    "${model:--}" "ok"
}
echo
echo "== results (${side}x${side} power-law delta, rank $rank; contract on cuda: $contract_text)"
printf '| %-7s | %-9s | %-14s | %-10s | %-12s | %s\n' backend "exact SVD" "randomized SVD" energy "1B extract" status
row cpu
row cuda
[ $contract = 1 ] && exit 1
exit 0
