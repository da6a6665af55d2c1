#!/usr/bin/env bash
# Lints every Swift file with the repository's .swift-format, strictly (warnings are errors).
# Fix what it reports with: swift format format -i --configuration .swift-format -r <paths>
set -euo pipefail
cd "$(dirname "$0")/.."

paths=(Package.swift Sources Tests Examples/Package.swift Examples/Sources Examples/Tests
    Benchmarks/Package.swift Benchmarks/Sources Fuzz/Package.swift Fuzz/Sources)
swift format lint --strict --configuration .swift-format --recursive "${paths[@]}"
echo "swift format lint --strict: no findings in ${paths[*]}"
