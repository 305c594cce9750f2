#!/usr/bin/env bash
# Load test of `nexttrack serve` on 127.0.0.1 with wrk (Debian's package): 1, 16 and 64 concurrent clients
# (keep-alive connections), each sending POST /recommend as fast as answers come back.
# Usage: benchmarks/serve/load.sh MODEL [SECONDS per level, default 20] [more serve options, e.g. --max-batch 1]
# LEVELS (environment) lists the client counts, default "1 16 64".
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MODEL=${1:?usage: load.sh MODEL [SECONDS] [serve options]}
SECONDS_PER_LEVEL=${2:-20}
shift $(( $# < 2 ? $# : 2 ))
command -v wrk >/dev/null || { echo "load.sh: wrk not found (apt-get install wrk)" >&2; exit 2; }
LOG=$(mktemp)
# In a session of its own, so that stopping it stops the launcher's java as well (kill the process group).
setsid "$ROOT/nexttrack" serve --model "$MODEL" "$@" >"$LOG" 2>&1 &
SERVER=$!
trap 'kill -- -$SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -f "$LOG"' EXIT
for _ in $(seq 1 600); do grep -q '^serving' "$LOG" && break; kill -0 $SERVER 2>/dev/null || { cat "$LOG" >&2; exit 1; }; sleep 0.1; done
URL=$(grep -o 'http://[^ ]*' "$LOG" | head -1)
SONGS=$(curl -s "${URL}health" | grep -o '"songs":[0-9]*' | cut -d: -f2)
export SONGS
echo "server: $(grep "^serving" "$LOG")${*:+ [$*]}"
echo "machine: $(nproc) cores, $(uptime | sed 's/.*load average/load average/') before the run"
# Warm-up: the JIT compiles the one-by-one path at 1 client and the batched path only once calls are batched;
# without the second, the first batched level's p99 measured compilation (50-100 ms), not the service.
wrk -t1 -c1 -d5s -s "$ROOT/benchmarks/serve/recommend.lua" "${URL}recommend" >/dev/null
wrk -t2 -c16 -d10s -s "$ROOT/benchmarks/serve/recommend.lua" "${URL}recommend" >/dev/null
printf '%8s %10s %9s %9s %9s %s\n' clients requests/s p50_ms p99_ms errors load_1min_after
for c in ${LEVELS:-1 16 64}; do
  OUT=$(wrk -t$(( c < 2 ? 1 : 2 )) -c$c -d${SECONDS_PER_LEVEL}s --latency -s "$ROOT/benchmarks/serve/recommend.lua" "${URL}recommend")
  ms() { # wrk prints 812.00us, 1.20ms or 1.02s
    awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[^m]s$/) n *= 1000; printf "%.2f", n }'
  }
  RPS=$(echo "$OUT" | awk '/^Requests\/sec/ {print $2}')
  P50=$(ms "$(echo "$OUT" | awk '$1 == "50%" {print $2}')")
  P99=$(ms "$(echo "$OUT" | awk '$1 == "99%" {print $2}')")
  ERR=$(echo "$OUT" | awk '/Non-2xx|Socket errors/ {sub(/^[ \t]+/, ""); printf "%s; ", $0}')
  printf '%8d %10s %9s %9s %9s %s\n' "$c" "$RPS" "$P50" "$P99" "${ERR:-0}" "$(cut -d' ' -f1 /proc/loadavg)"
done
echo "served: $(curl -s "${URL}health" | grep -o '"recommendations_served":[0-9]*,"model_calls":[0-9]*')"
