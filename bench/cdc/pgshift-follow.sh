#!/usr/bin/env bash
# The CDC_START_CMD of the CDC benchmark: `pgshift apply` with `types: [incremental]` over the
# pgbench tables and bench_heartbeat, following $SRC_URI into $DST_URI until the shared
# cdc.sh stops it (SIGINT to the process group: pgshift's clean stop).
#
# Every run is a fresh stream at the current source LSN, as cdc.sh's native runs are: what
# a run leaves (slot, publication, origin, pgshift state on both sides) is dropped before and
# after it, so pgshift's set-up creates the slot where the source is now. The migration keeps
# one name, so the slot and origin cdc.sh samples are always
# CDC_SLOT = CDC_ORIGIN = pgshift_<name with - as _>.
#
# PGSHIFT_BACKLOG=1 (the backlog/drain comparison with native's "max+backlog", which cdc.sh
# implements for native only): pgshift is stopped cleanly as soon as pgbench connects to the
# source and started again once pgbench has gone, so cdc.sh's drain_s is a pure catch-up, and
# includes pgshift's start-up as native's includes the apply worker's.
#
# Records, in $RESULTS_DIR/pgshift-cdc.jsonl, one line per run: round, peak RSS and CPU
# seconds of the node process (/usr/bin/time -v; in backlog mode those of the draining
# process), its lifetime, batches and their sizes from the JSON log.
#
# Knobs: CDC_NAME (metadata.name, default bench-cdc), PGSHIFT_BIN (default: this repository's
# packages/core/bin/pgshift.js), PGSHIFT_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=DIR").
set -uo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
PGSHIFT_BIN="${PGSHIFT_BIN:-$REPO/packages/core/bin/pgshift.js}"
: "${SRC_URI:?}" "${DST_URI:?}" "${RESULTS_DIR:?}" "${WORK_DIR:?}"
NAME="${CDC_NAME:-bench-cdc}"
IDENT="pgshift_${NAME//-/_}"

W="$WORK_DIR/pgshift-cdc"
mkdir -p "$W"
run="$(date -u +%Y%m%dT%H%M%S)-$$"
spec="$W/spec.yaml"

sql() { psql "$1" -X -qAt -v ON_ERROR_STOP=1 -c "$2"; }

# --- a fresh stream, as if this migration had never run: before the run (whatever a killed
# run left), and after it, since cdc.sh's native runs subscribe to a publication FOR ALL
# TABLES and CREATE SUBSCRIPTION fails on pgshift's source tables (pgshift.heartbeat), which
# the destination lacks
reset() {
  for _ in $(seq 50); do # the walsender of the run just stopped may still be exiting
    [ "$(sql "$SRC_URI" "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '$IDENT' AND active")" = 0 ] && break
    sleep 0.2
  done
  sql "$SRC_URI" "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '$IDENT' AND NOT active" >/dev/null
  sql "$SRC_URI" "DROP PUBLICATION IF EXISTS $IDENT" >/dev/null 2>&1
  sql "$SRC_URI" "DROP SCHEMA IF EXISTS pgshift CASCADE" >/dev/null 2>&1
  sql "$DST_URI" "DROP SCHEMA IF EXISTS pgshift CASCADE" >/dev/null 2>&1
  sql "$DST_URI" "SELECT pg_replication_origin_drop(roname) FROM pg_replication_origin WHERE roname = '$IDENT'" >/dev/null
}
reset

# urls come from the environment (${VAR} in a spec), so they are never written down
cat >"$spec" <<EOF
apiVersion: pgshift/v1
kind: Migration
metadata:
  name: ${NAME}
source:
  url: \${SRC_URI}
destination:
  url: \${DST_URI}
types: [incremental]
# cdc.sh init copied the tables: follow into them
conflicts: ignore
objects:
  - schema: public
    tables:
      - name: pgbench_accounts
      - name: pgbench_branches
      - name: pgbench_tellers
      - name: pgbench_history
      - name: bench_heartbeat
EOF

# cdc.sh stops the run with SIGINT to the whole process group: pgshift stops cleanly on it,
# and this script goes on to write its record (a trap with a command is not inherited)
trap ':' INT TERM

# pgshift apply in the background under /usr/bin/time (which ignores SIGINT itself, so it
# survives to report); sets node_pid
start() {
  # shellcheck disable=SC2086
  /usr/bin/time -v -o "$W/$run-$1.time" node ${PGSHIFT_NODE_ARGS:-} "$PGSHIFT_BIN" apply --spec "$spec" --ignore-warnings --log-format json \
    >"$W/$run-$1.jsonl" 2>"$W/$run-$1.err" &
  time_pid=$!
  node_pid=""
  for _ in $(seq 50); do
    node_pid=$(pgrep -P "$time_pid" || true)
    [ -n "$node_pid" ] && break
    sleep 0.02
  done
}

# waits for the process started by start(), through signals to this script
finish() {
  while kill -0 "$time_pid" 2>/dev/null; do wait "$time_pid" 2>/dev/null || true; done
}

pgbench_backends() { sql "$SRC_URI" "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgbench'"; }

part=follow
t_start=$(date +%s.%N)
if [ "${PGSHIFT_BACKLOG:-0}" = 1 ]; then
  start pause
  until [ "$(pgbench_backends)" != 0 ]; do
    kill -0 "$time_pid" 2>/dev/null || { cat "$W/$run-pause.err" >&2; exit 1; }
    sleep 0.1
  done
  kill -TERM "$node_pid" 2>/dev/null
  finish
  until [ "$(pgbench_backends)" = 0 ]; do sleep 0.1; done
  t_start=$(date +%s.%N)
  part=drain
fi
start "$part"
finish
t_end=$(date +%s.%N)
reset

# --- the run's record
log="$W/$run-$part.jsonl"
timing="$W/$run-$part.time"
rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$timing" 2>/dev/null)
cpu_s=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$timing" 2>/dev/null)
batches=$(node -e '
  const lines = require("node:fs").readFileSync(process.argv[1], "utf8").split("\n").filter((l) => l.startsWith("{"))
  const events = lines.flatMap((l) => { try { return [JSON.parse(l)] } catch { return [] } })
  const last = events.filter((e) => e.type === "following").at(-1)
  const streaming = events.find((e) => e.type === "incremental-streaming")
  const started = events[0]?.time
  const caughtUp = events.find((e) => e.type === "incremental-caught-up")
  const caughtUpFollowing = caughtUp && events.filter((e) => e.type === "following" && e.time <= caughtUp.time).at(-1)
  process.stdout.write(JSON.stringify({
    transactions: last?.transactions ?? 0,
    changes: last?.changes ?? 0,
    stopped: events.find((e) => e.type === "incremental-stopped")?.reason ?? null,
    // node start to the first event is not in the log: from the first event to streaming
    startup_s: streaming && started ? (Date.parse(streaming.time) - Date.parse(started)) / 1000 : null,
    // a drain: from streaming to the first caught-up, what the applying itself took
    streaming_to_caught_up_s: streaming && caughtUp ? (Date.parse(caughtUp.time) - Date.parse(streaming.time)) / 1000 : null,
    changes_at_caught_up: caughtUpFollowing?.changes ?? null,
  }))
' "$log" 2>/dev/null || echo '{}')
wall_s=$(awk -v a="$t_start" -v b="$t_end" 'BEGIN { printf "%.2f", b - a }')
printf '{"kind": "pgshift-cdc", "round": "%s", "ts": "%s", "mode": "%s", "peak_rss_kb": %s, "cpu_s": %s, "wall_s": %s, "log": "%s", "stats": %s}\n' \
  "${ROUND:-}" "$(date -u +%FT%TZ)" "$part" "${rss_kb:-0}" "${cpu_s:-0}" "$wall_s" "$log" "$batches" \
  >>"$RESULTS_DIR/pgshift-cdc.jsonl"
