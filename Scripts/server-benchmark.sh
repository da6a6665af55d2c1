#!/usr/bin/env bash
# The example server's request path against bare Hummingbird, side by side in one run (release build).
#
#   Scripts/server-benchmark.sh [ROUNDS] [SECONDS]      (default: 3 rounds of 5 s per measurement)
#
# Starts resume-optimizer-server (memory store, offline optimizer) and bare-hummingbird (one JSON route
# of the same size as the status answer), submits 20 jobs for one user and waits for them, then runs wrk
# (-t1 -c32, loopback) interleaved, round by round:
#   floor    GET /json on bare Hummingbird
#   status   GET /status?jobId=<completed job> with a bearer token (a fresh signed link on every read)
#   jobs     GET /jobs (20 entries) with a bearer token
# and prints requests/s of each and the ratios to the floor (targets: status >= 0.8x, jobs >= 0.5x).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"
seconds="${2:-5}"

command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }
# SERVER_BENCHMARK_NO_BUILD=1 uses the release binaries already built.
if [[ -z "${SERVER_BENCHMARK_NO_BUILD:-}" ]]; then
    swift build -c release --package-path Examples --product resume-optimizer-server >/dev/null
    swift build -c release --package-path Examples --product bare-hummingbird >/dev/null
fi
bin="$(swift build -c release --package-path Examples --show-bin-path)"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
server_port="$(free_port)"
export RESUME_OPTIMIZER_JWT_SECRET="benchmark-secret-$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

"$bin/resume-optimizer-server" serve --port "$server_port" --log-level warning --max-queued-per-user 100 \
    >/tmp/server-benchmark-server.log 2>&1 &
pids+=("$!")
server="http://127.0.0.1:$server_port"
for _ in $(seq 1 100); do curl -fs "$server/health" >/dev/null 2>&1 && break; sleep 0.1; done
token="$("$bin/resume-optimizer-server" token --user bench --lifetime 3600)"

# 20 completed jobs for the user.
resume="$(printf 'Jordan Rivera\nBackend engineer: Swift, PostgreSQL, payments APIs for 2 million users.\n' | base64 -w0)"
job=""
for i in $(seq 1 20); do
    job="$(curl -fs -X POST "$server/optimize" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
        -d "{\"resume\":\"$resume\",\"jobDescription\":\"Backend engineer with Swift and Kafka $i\",\"fileName\":\"r.txt\"}" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["jobId"])')"
    curl -fs "$server/status?jobId=$job&wait=20" -H "Authorization: Bearer $token" >/dev/null
done
status_body="$(curl -fs "$server/status?jobId=$job" -H "Authorization: Bearer $token")"
python3 -c 'import json,sys; s=json.loads(sys.argv[1]); assert s["status"]=="COMPLETED", s' "$status_body"
size="${#status_body}"

floor_port="$(free_port)"
"$bin/bare-hummingbird" "$floor_port" "$size" >/tmp/server-benchmark-floor.log 2>&1 &
pids+=("$!")
floor="http://127.0.0.1:$floor_port"
for _ in $(seq 1 100); do curl -fs "$floor/json" >/dev/null 2>&1 && break; sleep 0.1; done
echo "status answer: $size bytes; floor answer: $(curl -fs "$floor/json" | wc -c) bytes"

rate() { wrk -t1 -c32 -d"${seconds}s" "$@" | awk '/Requests\/sec/ {print $2}'; }
declare -a floors statuses histories
for round in $(seq 1 "$rounds"); do
    floors+=("$(rate "$floor/json")")
    statuses+=("$(rate -H "Authorization: Bearer $token" "$server/status?jobId=$job")")
    histories+=("$(rate -H "Authorization: Bearer $token" "$server/jobs")")
    echo "round $round: floor ${floors[-1]} req/s, status ${statuses[-1]} req/s, jobs ${histories[-1]} req/s"
done
python3 - "${floors[*]}" "${statuses[*]}" "${histories[*]}" <<'PY'
import statistics, sys
floor, status, jobs = ([float(x) for x in arg.split()] for arg in sys.argv[1:4])
f, s, j = statistics.median(floor), statistics.median(status), statistics.median(jobs)
print(f"median req/s: floor {f:.0f}, GET /status (completed, authenticated) {s:.0f}, GET /jobs (20) {j:.0f}")
print(f"ratio status/floor {s / f:.2f} (target >= 0.80), jobs/floor {j / f:.2f} (target >= 0.50)")
# A shared machine's speed drifts between rounds; the ratio within each round is steadier.
rs = statistics.median(b / a for a, b in zip(floor, status))
rj = statistics.median(b / a for a, b in zip(floor, jobs))
print(f"median of the rounds' ratios: status/floor {rs:.2f}, jobs/floor {rj:.2f}")
PY
