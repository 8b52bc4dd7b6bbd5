#!/bin/sh
# Times graft as a user runs it — a fresh process per run, JVM start included — against the raw I/O floor of the
# same command on the same files, alternating the two so that both see the same machine:
#
#   graft:      ./graft COMMAND ...                       (one cold process)
#   raw floor:  cat INPUT_FILES > /dev/null; cp OUTPUT COPY; sync
#
# Usage: scripts/bench-cold.sh [-n RUNS] FAMILY OUT -- GRAFT_ARGS...
#   FAMILY      a folder written by 'graft bench family' (FAMILY/base, FAMILY/ft1 ...): every file in it is an
#               input of the raw floor
#   OUT         the output GRAFT_ARGS write (a file or a folder; replaced on every run); its files are what the
#               raw floor copies
#   GRAFT_ARGS  the graft command line, e.g. merge ties F/ft1 F/ft2 F/ft3 --base F/base --weight 1 --density 0.2
#               -o OUT --force
#
# Prints, per run, wall/user/sys seconds and peak resident memory of each (GNU time), then the medians and the
# median of the per-pair wall ratios graft / raw floor. Needs GNU time (/usr/bin/time) and sync; the first run of
# each is a warm-up (page cache, graft's build) and is not counted.
set -eu

runs=5
if [ "${1:-}" = "-n" ]; then runs=$2; shift 2; fi
[ $# -ge 4 ] && [ "$3" = "--" ] || { sed -n '2,22s/^# \{0,1\}//p' "$0" >&2; exit 2; }
family=$1 out=$2
shift 3
here=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd -P)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/graft-bench-cold.XXXXXX")
trap 'rm -rf "$scratch"' EXIT INT TERM

inputs=$(find "$family" -type f | sort)
# The raw floor as one process, so that GNU time measures it whole: $1 the output, $2 its copy, then the inputs.
raw_floor='out=$1 copy=$2; shift 2; cat "$@" > /dev/null; rm -rf "$copy"; cp -r "$out" "$copy"; sync'

timed() { # label, command...: appends "label wall user sys maxrss_kB" to $scratch/times
  label=$1; shift
  /usr/bin/time -f "$label %e %U %S %M" -o "$scratch/one" "$@" > /dev/null 2> "$scratch/err" || {
    cat "$scratch/err" >&2; exit 1; }
  cat "$scratch/one" >> "$scratch/times"
}

"$here/graft" "$@" > /dev/null 2>&1 || { "$here/graft" "$@"; exit 1; } # warm-up; shows the error if any
# shellcheck disable=SC2086 # the file list is split on purpose (bench family's names have no spaces)
sh -c "$raw_floor" raw "$out" "$scratch/copy" $inputs
: > "$scratch/times"
i=0
while [ "$i" -lt "$runs" ]; do
  timed graft "$here/graft" "$@"
  # shellcheck disable=SC2086
  timed raw sh -c "$raw_floor" raw "$out" "$scratch/copy" $inputs
  i=$((i + 1))
done

awk '
  { n[$1]++; w[$1, n[$1]] = $2; u[$1, n[$1]] = $3; s[$1, n[$1]] = $4; m[$1, n[$1]] = $5 }
  function median(a, k, c,   i, j, t, v) {
    for (i = 1; i <= c; i++) v[i] = a[k, i]
    for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    return c % 2 ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2
  }
  END {
    for (k in n) {
      printf "%-6s runs %d  wall median %.2f s  user %.2f s  sys %.2f s  peak RSS %.0f MB\n", k, n[k],
        median(w, k, n[k]), median(u, k, n[k]), median(s, k, n[k]), median(m, k, n[k]) / 1024
    }
    for (i = 1; i <= n["graft"]; i++) r["x", i] = w["graft", i] / (w["raw", i] > 0 ? w["raw", i] : 0.01)
    printf "graft / raw floor (wall, pair by pair): median %.2fx\n", median(r, "x", n["graft"])
  }' "$scratch/times"
