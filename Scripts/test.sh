#!/usr/bin/env bash
# Runs every test: the libraries (root package) and the examples (Examples package).
# Warnings fail the build.
set -euo pipefail
cd "$(dirname "$0")/.."

Scripts/install-system-dependencies.sh

echo "== Root package: build (warnings are errors) and test"
swift build --build-tests -Xswiftc -warnings-as-errors
swift test --skip-build

echo "== Examples package: build (warnings are errors) and test"
swift build --package-path Examples --build-tests -Xswiftc -warnings-as-errors
swift test --package-path Examples --skip-build
