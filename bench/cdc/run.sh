#!/usr/bin/env bash
# CDC benchmark (issue #6): `pgshift apply` with `types: [incremental]` against PostgreSQL's
# native logical replication, with the shared ../shared/bench/cdc.sh (pgbench tpcb-like on
# the source for 60 s, heartbeat lag sampled every second, drain time after the load), on
# the same two throwaway clusters, alternated round by round, then a report (medians, ratios
# to native in the same round, pgshift's peak RSS and CPU).
#
#   bench/cdc/run.sh                        SCALE=50, 2 rounds, then tear down
#   ROUNDS=1 CDC_SECONDS=20 bench/cdc/run.sh  a quick smoke run
#   bench/cdc/run.sh up                     only start the clusters, build the pgbench
#                                           dataset and run cdc.sh init (kept, with the
#                                           environment to use them printed)
#   bench/cdc/run.sh down                   remove kept clusters and work files
#
# Each round runs, order rotated: native:1000 custom:1000 native:max custom:max, then the
# backlog pair: native:max+backlog (subscription disabled during the load) and pgshift the
# same way (pgshift-follow.sh with PGSHIFT_BACKLOG=1: stopped while pgbench runs, started
# when it ends; recorded as tool "custom-backlog", rate "max").
#
# Knobs (environment):
#   SCALE (50)            pgbench scale of the source (5 M accounts); the shared dataset.sh
#                         builds it, its other tables with one row each (WIDE_ROWS=NOPK_ROWS=PART_ROWS=1)
#   ROUNDS (2)            alternated rounds
#   VARIANTS              default "native:1000 custom:1000 native:max custom:max"
#   BACKLOG (1)           0: no backlog pair
#   CDC_SECONDS (60)      load duration (cdc.sh)
#   MAX_LOAD (1.5), LOAD_WAIT_S (1200), RUN_WAIT_S (120)   wait for the 1-minute load
#                         average to drop below MAX_LOAD, up to LOAD_WAIT_S before the first
#                         run and RUN_WAIT_S before each other one, then go on regardless
#                         (every run's load1 is kept in load.jsonl)
#   BENCH_TMP             clusters, work files and results (default /tmp/pgshift-bench-cdc)
#   SRC_PORT, DST_PORT    default: the first free ports from 56521
#   KEEP_CLUSTERS (0)     1: leave the clusters and the dataset for the next run
# The shared scripts are found in $PGSHIFT_SHARED_DIR/bench, else ../shared/bench beside the
# repository. Needs root or the cluster owner (cluster.sh runs the servers as postgres).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
SHARED_BENCH="${PGSHIFT_SHARED_DIR:-$REPO/../shared}/bench"
[ -x "$SHARED_BENCH/cdc.sh" ] || {
  echo "shared bench scripts not found in $SHARED_BENCH: keep the shared folder beside the repository, or set PGSHIFT_SHARED_DIR" >&2
  exit 2
}

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

export SCALE="${SCALE:-50}" WIDE_ROWS=1 NOPK_ROWS=1 PART_ROWS=1
export CDC_SECONDS="${CDC_SECONDS:-60}"
ROUNDS="${ROUNDS:-2}"
VARIANTS="${VARIANTS:-native:1000 custom:1000 native:max custom:max}"
BACKLOG="${BACKLOG:-1}"
MAX_LOAD="${MAX_LOAD:-1.5}"
LOAD_WAIT_S="${LOAD_WAIT_S:-1200}"
RUN_WAIT_S="${RUN_WAIT_S:-120}"
KEEP_CLUSTERS="${KEEP_CLUSTERS:-0}"
COMMAND="${1:-run}"
case "$COMMAND" in
  run) ;;
  up) KEEP_CLUSTERS=1 ;;
  down) ;;
  *) sed -n '2,35p' "$0" >&2; exit 2 ;;
esac

# a folder of our own: other benchmarks on this box use the shared scripts' /tmp defaults
export BENCH_TMP="${BENCH_TMP:-/tmp/pgshift-bench-cdc}"
export RESULTS_DIR="${RESULTS_DIR:-$BENCH_TMP/results}" WORK_DIR="${WORK_DIR:-$BENCH_TMP/work}"
export SRC_NAME=pgshift-cdc-src DST_NAME=pgshift-cdc-dst
mkdir -p "$RESULTS_DIR" "$WORK_DIR"

port_free() { [ -z "$(ss -Htln "sport = :$1" 2>/dev/null)" ]; }
# a kept cluster keeps its port (written into its config at initdb)
kept_port() { sed -n "s/^port = //p" "$BENCH_TMP/bench-$1/bench.conf" 2>/dev/null || true; }
next_free_port() {
  local p="$1"
  while ! port_free "$p" || [ "$p" = "${2:-}" ]; do p=$((p + 1)); done
  echo "$p"
}
SRC_PORT="${SRC_PORT:-$(kept_port "$SRC_NAME")}"
SRC_PORT="${SRC_PORT:-$(next_free_port 56521)}"
DST_PORT="${DST_PORT:-$(kept_port "$DST_NAME")}"
DST_PORT="${DST_PORT:-$(next_free_port $((SRC_PORT + 1)) "$SRC_PORT")}"
export SRC_PORT DST_PORT
export SRC_URI="postgresql://postgres@127.0.0.1:$SRC_PORT/bench" DST_URI="postgresql://postgres@127.0.0.1:$DST_PORT/bench"
export SRC_ADMIN_URI="postgresql://postgres@127.0.0.1:$SRC_PORT/postgres"
export DST_ADMIN_URI="postgresql://postgres@127.0.0.1:$DST_PORT/postgres"

# what pgshift-follow.sh's migration is called on both sides (cdc.sh samples them)
export CDC_NAME="${CDC_NAME:-bench-cdc}"
export CDC_SLOT="pgshift_${CDC_NAME//-/_}" CDC_ORIGIN="pgshift_${CDC_NAME//-/_}"
export CDC_START_CMD="$HERE/pgshift-follow.sh"

# pgshift's leftovers: the last run's slot, publication and state, and REPLICA IDENTITY FULL
# on pgbench_history (pgshift sets it; native does not need it)
drop_pgshift() {
  psql "$SRC_URI" -XqAt -c "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '$CDC_SLOT' AND NOT active" \
    -c "DROP PUBLICATION IF EXISTS $CDC_SLOT" -c 'DROP SCHEMA IF EXISTS pgshift CASCADE' \
    -c 'ALTER TABLE IF EXISTS public.pgbench_history REPLICA IDENTITY DEFAULT' >/dev/null 2>&1 || true
  psql "$DST_URI" -XqAt -c 'DROP SCHEMA IF EXISTS pgshift CASCADE' \
    -c "SELECT pg_replication_origin_drop(roname) FROM pg_replication_origin WHERE roname = '$CDC_ORIGIN'" >/dev/null 2>&1 || true
}

cleanup() {
  local rc=$?
  if [ "$KEEP_CLUSTERS" = 1 ]; then
    log "clusters kept (ports $SRC_PORT, $DST_PORT); stop them with: BENCH_TMP=$BENCH_TMP SRC_NAME=$SRC_NAME DST_NAME=$DST_NAME $SHARED_BENCH/cluster.sh both-destroy"
  else
    "$SHARED_BENCH/cluster.sh" both-destroy || true
    rm -rf "$WORK_DIR"
  fi
  exit "$rc"
}
if [ "$COMMAND" = down ]; then
  "$SHARED_BENCH/cluster.sh" both-destroy
  rm -rf "$WORK_DIR"
  exit 0
fi
trap cleanup EXIT
trap 'exit 130' INT TERM

"$SHARED_BENCH/cluster.sh" both-up

# the dataset is built and copied once per scale; a kept pair of the same scale is reused
built_scale=$(node -e 'try { process.stdout.write(String(require(process.argv[1]).scale)) } catch {}' "$RESULTS_DIR/dataset.json")
if [ "$built_scale" != "$SCALE" ] \
  || ! psql "$DST_URI" -XqAt -c 'SELECT 1 FROM public.bench_heartbeat' >/dev/null 2>&1; then
  "$SHARED_BENCH/dataset.sh"
  "$SHARED_BENCH/cdc.sh" init
fi

if [ "$COMMAND" = up ]; then
  log "ready: export BENCH_TMP=$BENCH_TMP RESULTS_DIR=$RESULTS_DIR WORK_DIR=$WORK_DIR SRC_NAME=$SRC_NAME DST_NAME=$DST_NAME SRC_PORT=$SRC_PORT DST_PORT=$DST_PORT SRC_URI=$SRC_URI DST_URI=$DST_URI SRC_ADMIN_URI=$SRC_ADMIN_URI DST_ADMIN_URI=$DST_ADMIN_URI CDC_NAME=$CDC_NAME CDC_SLOT=$CDC_SLOT CDC_ORIGIN=$CDC_ORIGIN CDC_START_CMD=$CDC_START_CMD"
  exit 0
fi

wait_for_quiet() { # wait_for_quiet MAX_WAIT_S
  local waited=0 load
  while :; do
    load=$(cut -d' ' -f1 /proc/loadavg)
    if awk -v l="$load" -v m="$MAX_LOAD" 'BEGIN { exit !(l < m) }'; then
      log "load average $load (< $MAX_LOAD): measuring"
      return
    fi
    if [ "$waited" -ge "$1" ]; then
      log "load average still $load after ${waited}s: measuring anyway (every run records its load1)"
      return
    fi
    log "load average $load (>= $MAX_LOAD): waiting"
    sleep 15
    waited=$((waited + 15))
  done
}

# cdc.sh's lines carry no load average: one line per run here, keyed by its round
record_load() { printf '{"kind": "load", "round": "%s", "variant": "%s", "load1": %s}\n' "$1" "$2" "$(cut -d' ' -f1 /proc/loadavg)" >>"$RESULTS_DIR/load.jsonl"; }

run_variant() { # run_variant ROUND VARIANT
  local round="$1" variant="$2"
  record_load "$round" "$variant"
  log "round $round: $variant"
  if [ "$variant" = custom-backlog ]; then
    ROUND="$round" PGSHIFT_BACKLOG=1 CDC_TOOL_TAG=-backlog "$SHARED_BENCH/cdc.sh" custom:max || log "run $variant failed (kept in results)"
  else
    ROUND="$round" "$SHARED_BENCH/cdc.sh" "$variant" || log "run $variant failed (kept in results)"
  fi
}

TAG="${ROUND_TAG:-$(date -u +%Y%m%dT%H%M%S)}"
read -r -a variants <<<"$VARIANTS"
[ "$BACKLOG" = 1 ] && variants+=(native:max+backlog custom-backlog)
k=${#variants[@]}
# rotated each round as the shared rounds.sh does, so drift hits every variant alike; the
# load is checked before every run, since one round lasts about 10 minutes
for ((r = 0; r < ROUNDS; r++)); do
  for ((i = 0; i < k; i++)); do
    if [ "$r$i" = 00 ]; then wait_for_quiet "$LOAD_WAIT_S"; else wait_for_quiet "$RUN_WAIT_S"; fi
    run_variant "$TAG-r$((r + 1))" "${variants[$(((i + r) % k))]}"
  done
done
drop_pgshift

echo
echo "## SCALE=$SCALE ROUNDS=$ROUNDS CDC_SECONDS=$CDC_SECONDS (round tag $TAG)"
echo
node "$SHARED_BENCH/summarize.mjs" "$RESULTS_DIR/cdc.jsonl" --round-prefix "$TAG"
echo
(cd "$REPO" && npx tsx bench/cdc/report.ts --results "$RESULTS_DIR" --round-prefix "$TAG")
