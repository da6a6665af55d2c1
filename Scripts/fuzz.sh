#!/usr/bin/env bash
# Builds the ResumeParsing fuzzers (libFuzzer + AddressSanitizer/LeakSanitizer) and runs each
# target for SECONDS seconds, one after the other, on one core each.
#
#   Scripts/fuzz.sh SECONDS [TARGET...]      (targets: FuzzParse FuzzDocumentXML; default both)
#
# Prints, per target, the executions, the coverage, the corpus size, the peak memory and the
# findings. Exits 1 when any target crashed, leaked, timed out (a unit over 1 s) or ran out of
# memory (a single allocation over 256 MB, or 2048 MB of RSS with ASan). Findings are saved under
# Fuzz/artifacts/, the growing corpus under Fuzz/corpus-work/ (both ignored by git).
#
# Environment: FUZZ_CORPUS_DIR adds a folder of real .docx files to the seeds (default:
# ../shared/corpus/docx when it exists); FUZZ_JOBS=N runs N targets at once (default 1);
# FUZZ_TIMEOUT=S changes the per-unit timeout (default 1 s).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $# -lt 1 || ! $1 =~ ^[0-9]+$ ]]; then
    echo "usage: Scripts/fuzz.sh SECONDS [TARGET...]" >&2
    exit 2
fi
seconds=$1
shift
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then targets=(FuzzParse FuzzDocumentXML); fi

# libFuzzer limits: a unit that runs over 1 s is a hang; one allocation over 256 MB is an
# out-of-memory. The RSS limit is higher because AddressSanitizer's shadow memory and quarantine
# count towards the process's RSS; the parser's own peak is reported by the benchmark.
# libFuzzer measures wall-clock time, which a machine shared with other heavy jobs inflates: there,
# raise it with FUZZ_TIMEOUT (seconds). The targets themselves also fail any input that uses more
# than 1 s of CPU time (FUZZ_CPU_LIMIT), whatever the load.
TIMEOUT_SECONDS=${FUZZ_TIMEOUT:-1}
MALLOC_LIMIT_MB=256
RSS_LIMIT_MB=2048
# Inputs up to 256 KiB: a resume's main part is far smaller; larger documents are measured by the
# benchmark.
MAX_LEN=262144

Scripts/install-system-dependencies.sh

# SwiftPM's --sanitize=fuzzer makes the fuzzer provide `main`; the swiftc flag then turns on
# coverage and AddressSanitizer together (two separate -sanitize= flags would keep only the last).
build_flags=(-c release --package-path Fuzz --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address)
echo "== Building the fuzzers (release, libFuzzer + AddressSanitizer)"
swift build "${build_flags[@]}"
bin="$(swift build "${build_flags[@]}" --show-bin-path)"

echo "== Seed corpus"
seeds=Fuzz/corpus-work/seeds
rm -rf "$seeds"
extra=()
corpus_dir=${FUZZ_CORPUS_DIR:-../shared/corpus/docx}
if [[ -d $corpus_dir ]]; then extra+=("$corpus_dir"); fi
if command -v python3 >/dev/null 2>&1; then
    python3 Fuzz/make-seeds.py "$seeds" "${extra[@]}"
else
    echo "python3 is missing: seeding with the bundled samples only" >&2
    mkdir -p "$seeds/parse" "$seeds/document-xml"
    cp Examples/Samples/* "$seeds/parse/"
fi
mkdir -p Fuzz/artifacts

seed_folder() {
    case $1 in
        FuzzParse) echo "$seeds/parse" ;;
        FuzzDocumentXML) echo "$seeds/document-xml" ;;
        *) echo "$seeds/parse" ;;
    esac
}

run_target() {
    local target=$1
    local work="Fuzz/corpus-work/$target"
    local log="Fuzz/artifacts/$target.log"
    mkdir -p "$work"
    local status=0
    SWIFT_BACKTRACE=enable=no \
        ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1:quarantine_size_mb=64:malloc_context_size=20" \
        "$bin/$target" "$work" "$(seed_folder "$target")" \
        -dict=Fuzz/ooxml.dict \
        -max_total_time="$seconds" \
        -timeout="$TIMEOUT_SECONDS" \
        -rss_limit_mb="$RSS_LIMIT_MB" \
        -malloc_limit_mb="$MALLOC_LIMIT_MB" \
        -detect_leaks=1 \
        -max_len="$MAX_LEN" \
        -use_value_profile=1 \
        -print_final_stats=1 \
        -artifact_prefix="Fuzz/artifacts/$target-" \
        >"$log" 2>&1 || status=$?
    echo "$status" >"Fuzz/artifacts/$target.status"
}

jobs=${FUZZ_JOBS:-1}
echo "== Running ${targets[*]} for ${seconds}s each ($jobs at a time)"
running=0
for target in "${targets[@]}"; do
    rm -f "Fuzz/artifacts/$target.status"
    run_target "$target" &
    running=$((running + 1))
    if [[ $running -ge $jobs ]]; then
        wait -n || true
        running=$((running - 1))
    fi
done
wait || true

failed=0
echo "== Results"
for target in "${targets[@]}"; do
    log="Fuzz/artifacts/$target.log"
    status=$(cat "Fuzz/artifacts/$target.status" 2>/dev/null || echo 1)
    executions=$(grep -o 'stat::number_of_executed_units:[[:space:]]*[0-9]*' "$log" | awk '{print $NF}' | tail -1 || true)
    speed=$(grep -o 'stat::average_exec_per_sec:[[:space:]]*[0-9]*' "$log" | awk '{print $NF}' | tail -1 || true)
    peak=$(grep -o 'stat::peak_rss_mb:[[:space:]]*[0-9]*' "$log" | awk '{print $NF}' | tail -1 || true)
    slowest=$(grep -o 'stat::slowest_unit_time_sec:[[:space:]]*[0-9]*' "$log" | awk '{print $NF}' | tail -1 || true)
    slowest_cpu=$(grep -o 'slowest unit used [0-9.]* s of CPU' "$log" | awk '{print $4}' | tail -1 || true)
    last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
    coverage=$(grep -o 'cov: [0-9]*' <<<"$last" | awk '{print $2}' || true)
    features=$(grep -o 'ft: [0-9]*' <<<"$last" | awk '{print $2}' || true)
    units=$(grep -o 'corp: [0-9]*/[0-9]*[a-zA-Z]*' <<<"$last" | awk '{print $2}' || true)
    findings=$(grep -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|SUMMARY: |Fatal error|deadly signal|of CPU, over the limit|ALARM: working on the last Unit for|out-of-memory' "$log" | head -5 || true)
    artifacts=$(grep -o "Test unit written to [^ ]*" "$log" | awk '{print $5}' | tr '\n' ' ' || true)
    echo "$target: ${executions:-0} executions (${speed:-0}/s), coverage ${coverage:-?} edges, ${features:-?} features, corpus ${units:-?} units, slowest unit ${slowest_cpu:-?} s CPU (${slowest:-?} s wall), peak RSS ${peak:-?} MB (with ASan)"
    if [[ $status -ne 0 || -n $findings ]]; then
        failed=1
        echo "  FINDING (exit status $status):"
        if [[ -n $findings ]]; then sed 's/^/    /' <<<"$findings"; fi
        if [[ -n $artifacts ]]; then echo "    input saved as: $artifacts"; fi
        echo "    full log: $log"
    else
        echo "  no crash, leak, timeout or out-of-memory"
    fi
done
exit $failed
