#!/usr/bin/env bash
# Runs every test: the libraries (root package) and the examples (Examples package).
# Warnings fail the build.
set -euo pipefail
cd "$(dirname "$0")/.."

Scripts/install-system-dependencies.sh

# The PostgreSQL tests need a database: start a throwaway cluster when none is given and PostgreSQL is
# installed (stop it with Scripts/start-test-postgres.sh stop). Without one they are skipped (failed in CI).
if [[ -z "${RESUME_OPTIMIZER_TEST_DATABASE_URL:-}" ]] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    eval "$(Scripts/start-test-postgres.sh)"
fi

echo "== Root package: build (warnings are errors) and test"
swift build --build-tests -Xswiftc -warnings-as-errors
swift test --skip-build

echo "== Examples package: build (warnings are errors) and test"
swift build --package-path Examples --build-tests -Xswiftc -warnings-as-errors
swift test --package-path Examples --skip-build
