#!/usr/bin/env bash
# The FULLCOPY_CMD of the full-copy benchmark: one `pgshift apply` (schema + full copy) from
# $SRC_URI into the empty $DST_URI with $JOBS workers, as the shared fullcopy.sh `custom`
# anchor runs it (it times this script, then verifies row counts).
#
# Besides the migration it records, in $RESULTS_DIR/pgshift.jsonl, one line per run with the
# round tag, the node process's peak RSS (/usr/bin/time -v) and the per-step durations from
# the JSON log (step-done events), so report.ts can put them next to the wall times.
#
# Knobs: SPLIT_LARGER_THAN (spec's options.parallel.splitLargerThan, default 256MiB: wide and
# pgbench_accounts in 3-4 ranges each, so both workers end together; `default`: leave it to
# pgshift), PGSHIFT_BIN (default: this repository's packages/core/bin/pgshift.js).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
PGSHIFT_BIN="${PGSHIFT_BIN:-$REPO/packages/core/bin/pgshift.js}"
: "${SRC_URI:?}" "${DST_URI:?}" "${JOBS:?}" "${RESULTS_DIR:?}" "${WORK_DIR:?}"

W="$WORK_DIR/pgshift"
mkdir -p "$W"
run="$(date -u +%Y%m%dT%H%M%S)-$$"
spec="$W/spec.yaml"
log="$W/$run.jsonl"
timing="$W/$run.time"

SPLIT_LARGER_THAN="${SPLIT_LARGER_THAN:-256MiB}"
split=""
[ "$SPLIT_LARGER_THAN" != default ] && split=", splitLargerThan: ${SPLIT_LARGER_THAN}"
# urls come from the environment (${VAR} in a spec), so they are never written down
cat >"$spec" <<EOF
apiVersion: pgshift/v1
kind: Migration
metadata:
  name: bench-full-copy
source:
  url: \${SRC_URI}
destination:
  url: \${DST_URI}
types: [schema, full]
conflicts: fail
options:
  parallel: { tables: ${JOBS}${split} }
EOF

# events_nopk has no key: a precheck warning, which a benchmark accepts
rc=0
/usr/bin/time -v -o "$timing" node "$PGSHIFT_BIN" apply --spec "$spec" --ignore-warnings --log-format json >"$log" || rc=$?
if [ "$rc" -ne 0 ]; then
  tail -20 "$log" >&2
  exit "$rc"
fi

# pgshift keeps its resume state in the destination's pgshift schema; fullcopy.sh verifies
# the copy by comparing every table of the destination with the source's, so the state goes
# (inside the timed section: it costs a few milliseconds)
psql "$DST_URI" -X -q -v ON_ERROR_STOP=1 -c 'DROP SCHEMA pgshift CASCADE' >/dev/null

rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$timing")
cpu_s=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$timing")
steps=$(node -e '
  const lines = require("node:fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l))
  const steps = Object.fromEntries(lines.filter((e) => e.type === "step-done").map((e) => [e.step, e.durationMs / 1000]))
  const units = lines.filter((e) => e.type === "copy-unit-done").map((e) => ({ unit: e.unitId, rows: e.rows, bytes: e.bytes, s: e.durationMs / 1000 }))
  process.stdout.write(JSON.stringify({ steps, units }))
' "$log")
printf '{"kind": "pgshift", "round": "%s", "ts": "%s", "jobs": %s, "split": "%s", "peak_rss_kb": %s, "cpu_s": %s, "log": "%s", %s\n' \
  "${ROUND:-}" "$(date -u +%FT%TZ)" "$JOBS" "$SPLIT_LARGER_THAN" "${rss_kb:-0}" "$cpu_s" "$log" "${steps:1}" \
  >>"$RESULTS_DIR/pgshift.jsonl"
