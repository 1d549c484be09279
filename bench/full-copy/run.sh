#!/usr/bin/env bash
# Full-copy benchmark (issue #5): `pgshift apply` (schema + full copy) against the anchors of
# ../shared/bench — psql \copy pipe, pg_dump -Fd -Z0 | pg_restore, native logical
# replication — on the same two throwaway clusters, alternated round by round, then the
# physical floor of this box, then a report (medians, paired ratios, floor, pgshift's peak RSS).
#
#   bench/full-copy/run.sh                   SCALE=50, 3 rounds, then tear down
#   SCALE=5 ROUNDS=1 bench/full-copy/run.sh  a quick smoke run
#   bench/full-copy/run.sh up                only start the clusters and build the dataset
#                                            (kept, with the environment to use them printed)
#   bench/full-copy/run.sh down              remove kept clusters and work files
#
# Knobs (environment):
#   SCALE (50)            dataset size: 50 = 2.07 GB / 9 M rows (shared dataset.sh)
#   JOBS (2)              parallelism of every tool, pgshift's options.parallel.tables
#   ROUNDS (3)            alternated rounds of pgshift and the anchors
#   ANCHORS               default "psql-pipe dump-dir-z0 logrep"
#   FLOORS                floor.sh variants, default "dst-server src-binary"; empty: none
#   FLOOR_ROUNDS (2)
#   SPLIT_LARGER_THAN     pgshift's splitLargerThan (default 256MiB; `default`: pgshift's own)
#   MAX_LOAD (1.5), LOAD_WAIT_S (1200)   wait (up to LOAD_WAIT_S) for the 1-minute load
#                         average to drop below MAX_LOAD before the measured rounds, then
#                         go on regardless (every run records its load1)
#   BENCH_TMP             clusters, work files and results (default /tmp/pgshift-bench-full-copy)
#   SRC_PORT, DST_PORT    default: the first free ports from 56511
#   KEEP_CLUSTERS (0)     1: leave the clusters and the dataset for the next run
# The shared scripts are found in $PGSHIFT_SHARED_DIR/bench, else ../shared/bench beside the
# repository. Needs root or the cluster owner (cluster.sh runs the servers as postgres).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
SHARED_BENCH="${PGSHIFT_SHARED_DIR:-$REPO/../shared}/bench"
[ -x "$SHARED_BENCH/fullcopy.sh" ] || {
  echo "shared bench scripts not found in $SHARED_BENCH: keep the shared folder beside the repository, or set PGSHIFT_SHARED_DIR" >&2
  exit 2
}

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

export SCALE="${SCALE:-50}" JOBS="${JOBS:-2}"
ROUNDS="${ROUNDS:-3}"
ANCHORS="${ANCHORS:-psql-pipe dump-dir-z0 logrep}"
FLOORS="${FLOORS-dst-server src-binary}"
FLOOR_ROUNDS="${FLOOR_ROUNDS:-2}"
MAX_LOAD="${MAX_LOAD:-1.5}"
LOAD_WAIT_S="${LOAD_WAIT_S:-1200}"
KEEP_CLUSTERS="${KEEP_CLUSTERS:-0}"
COMMAND="${1:-run}"
case "$COMMAND" in
  run) ;;
  up) KEEP_CLUSTERS=1 ;;
  down) ;;
  *) sed -n '2,30p' "$0" >&2; exit 2 ;;
esac

# a folder of our own: other benchmarks on this box use the shared scripts' /tmp defaults
export BENCH_TMP="${BENCH_TMP:-/tmp/pgshift-bench-full-copy}"
export RESULTS_DIR="${RESULTS_DIR:-$BENCH_TMP/results}" WORK_DIR="${WORK_DIR:-$BENCH_TMP/work}"
export SRC_NAME=pgshift-src DST_NAME=pgshift-dst
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
SRC_PORT="${SRC_PORT:-$(next_free_port 56511)}"
DST_PORT="${DST_PORT:-$(kept_port "$DST_NAME")}"
DST_PORT="${DST_PORT:-$(next_free_port $((SRC_PORT + 1)) "$SRC_PORT")}"
export SRC_PORT DST_PORT
export SRC_URI="postgresql://postgres@127.0.0.1:$SRC_PORT/bench" DST_URI="postgresql://postgres@127.0.0.1:$DST_PORT/bench"
export SRC_ADMIN_URI="postgresql://postgres@127.0.0.1:$SRC_PORT/postgres"
export DST_ADMIN_URI="postgresql://postgres@127.0.0.1:$DST_PORT/postgres"

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

# the dataset is built once per scale; a kept source of the same scale is reused
built_scale=$(node -e 'try { process.stdout.write(String(require(process.argv[1]).scale)) } catch {}' "$RESULTS_DIR/dataset.json")
if [ "$built_scale" != "$SCALE" ] || ! psql "$SRC_URI" -XqAt -c 'SELECT 1 FROM wide LIMIT 1' >/dev/null 2>&1; then
  "$SHARED_BENCH/dataset.sh"
fi

if [ "$COMMAND" = up ]; then
  log "ready: export BENCH_TMP=$BENCH_TMP RESULTS_DIR=$RESULTS_DIR WORK_DIR=$WORK_DIR SRC_NAME=$SRC_NAME DST_NAME=$DST_NAME SRC_PORT=$SRC_PORT DST_PORT=$DST_PORT SRC_URI=$SRC_URI DST_URI=$DST_URI SRC_ADMIN_URI=$SRC_ADMIN_URI DST_ADMIN_URI=$DST_ADMIN_URI JOBS=$JOBS"
  exit 0
fi

# floor.sh resets the destination without the subscription logrep leaves behind; fullcopy.sh
# knows how to drop it
drop_subscriptions() {
  local sub
  for sub in $(psql "$DST_URI" -XqAt -c 'SELECT subname FROM pg_subscription' 2>/dev/null); do
    psql "$DST_URI" -Xq -c "ALTER SUBSCRIPTION $sub DISABLE" -c "ALTER SUBSCRIPTION $sub SET (slot_name = NONE)" -c "DROP SUBSCRIPTION $sub" >/dev/null
  done
  psql "$SRC_ADMIN_URI" -XqAt -c "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE NOT active AND database = 'bench'" >/dev/null
}

wait_for_quiet() {
  local waited=0 load
  while :; do
    load=$(cut -d' ' -f1 /proc/loadavg)
    if awk -v l="$load" -v m="$MAX_LOAD" 'BEGIN { exit !(l < m) }'; then
      log "load average $load (< $MAX_LOAD): measuring"
      return
    fi
    if [ "$waited" -ge "$LOAD_WAIT_S" ]; then
      log "load average still $load after ${waited}s: measuring anyway (every run records its load1)"
      return
    fi
    log "load average $load (>= $MAX_LOAD): waiting"
    sleep 30
    waited=$((waited + 30))
  done
}

export FULLCOPY_CMD="$HERE/pgshift-copy.sh"
TAG="${ROUND_TAG:-$(date -u +%Y%m%dT%H%M%S)}"
wait_for_quiet
if [ -n "$FLOORS" ]; then
  drop_subscriptions
  # shellcheck disable=SC2086
  ROUND_TAG="$TAG-floor" "$SHARED_BENCH/rounds.sh" -n "$FLOOR_ROUNDS" floor.sh $FLOORS
fi
# shellcheck disable=SC2086
ROUND_TAG="$TAG" "$SHARED_BENCH/rounds.sh" -n "$ROUNDS" fullcopy.sh custom $ANCHORS

echo
echo "## SCALE=$SCALE JOBS=$JOBS ROUNDS=$ROUNDS (round tag $TAG)"
echo
node "$SHARED_BENCH/summarize.mjs" "$RESULTS_DIR/fullcopy.jsonl" --ref custom --round-prefix "$TAG"
echo
(cd "$REPO" && npx tsx bench/full-copy/report.ts --results "$RESULTS_DIR" --round-prefix "$TAG")
