#!/usr/bin/env bash
# Checks a live resume-optimizer-server on loopback against its contract and in a real browser.
#
#   Scripts/live-checks.sh [openapi] [schemathesis] [browser]     (default: all three)
#
#   openapi       validates Examples/Sources/resume-optimizer-server/Public/openapi.json (openapi-spec-validator)
#                 and checks that the server serves the same document at /openapi.json
#   schemathesis  fuzzes every operation of the document with a bearer token (checks: all)
#   browser       drives the page at / in headless Chromium (Scripts/browser-test.py)
#
# Needs: the Examples package built (Scripts/test.sh builds it), python3 with schemathesis,
# openapi-spec-validator and selenium, and Debian's chromium and chromium-driver
# (`Scripts/live-checks.sh --install` installs them). Screenshots and reports go to
# ${ARTIFACTS:-.ci/artifacts}. Environment: SCHEMATHESIS_EXAMPLES (examples per operation, default 100).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == "--install" ]]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq chromium chromium-driver >/dev/null
    python3 -m pip install -q schemathesis openapi-spec-validator selenium
    shift
fi
checks=("$@")
[[ ${#checks[@]} -eq 0 ]] && checks=(openapi schemathesis browser)

artifacts="${ARTIFACTS:-.ci/artifacts}"
mkdir -p "$artifacts"
artifacts="$(cd "$artifacts" && pwd)"
document="Examples/Sources/resume-optimizer-server/Public/openapi.json"
bin="$(swift build --package-path Examples --show-bin-path)"
server="$bin/resume-optimizer-server"
[[ -x "$server" ]] || { echo "Build the Examples package first: swift build --package-path Examples" >&2; exit 1; }

export RESUME_OPTIMIZER_JWT_SECRET="live-checks-secret-$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

# GET a URL and print the body (python3 is needed anyway; curl may be missing on a fresh machine).
fetch() { python3 -c 'import sys, urllib.request; sys.stdout.buffer.write(urllib.request.urlopen(sys.argv[1], timeout=5).read())' "$1"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Starts a server on a free loopback port with the given flags; sets $url.
start_server() {
    local port log
    port="$(free_port)"
    log="$artifacts/server-$1.log"
    shift
    "$server" serve --hostname 127.0.0.1 --port "$port" "$@" >"$log" 2>&1 &
    pids+=("$!")
    url="http://127.0.0.1:$port"
    for _ in $(seq 1 100); do
        fetch "$url/health" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "The server did not start; its log:" >&2
    cat "$log" >&2
    exit 1
}

for check in "${checks[@]}"; do
    case "$check" in
    openapi)
        echo "== OpenAPI: validate the document"
        openapi-spec-validator "$document"
        start_server openapi
        fetch "$url/openapi.json" | cmp - "$document"
        echo "GET /openapi.json serves $document"
        ;;
    schemathesis)
        echo "== schemathesis: every operation, checks all, a bearer token"
        start_server schemathesis
        rm -rf "$artifacts/schemathesis"
        token="$("$server" token --user schemathesis --lifetime 3600)"
        examples="${SCHEMATHESIS_EXAMPLES:-100}"
        # The config file (Scripts/schemathesis.toml) says which statuses a schema-valid request may get.
        set +e
        schemathesis --config-file Scripts/schemathesis.toml run "$document" \
            --url "$url" \
            --header "Authorization: Bearer $token" \
            --checks all \
            --max-examples "$examples" \
            --seed 15 \
            --workers 1 \
            --report junit,har --report-dir "$artifacts/schemathesis" \
            2>&1 | tee "$artifacts/schemathesis.log"
        status=${PIPESTATUS[0]}
        set -e
        python3 - "$artifacts"/schemathesis/har-*.json <<'PY'
import json, sys
requests = sum(len(json.load(open(path, encoding="utf-8"))["log"]["entries"]) for path in sys.argv[1:])
print(f"schemathesis sent {requests} requests")
PY
        echo "schemathesis exit status: $status"
        [[ $status -eq 0 ]] || exit "$status"
        ;;
    browser)
        echo "== Browser: the page in headless Chromium"
        start_server browser --dev --stub-delay 3
        python3 Scripts/browser-test.py "$url" "$artifacts/browser"
        ;;
    *)
        echo "Unknown check '$check' (openapi, schemathesis, browser)" >&2
        exit 2
        ;;
    esac
done
