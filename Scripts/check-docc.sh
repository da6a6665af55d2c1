#!/usr/bin/env bash
# Builds every module's DocC catalog (Sources/<Module>/Docs.docc) with the toolchain's `docc`,
# warnings as errors: a broken symbol link, a missing topic or an unknown parameter fails.
# The archives go to .build-docc/<Module>.doccarchive.
#
# The symbol graphs come from `swift package dump-symbol-graph`, which reuses the debug build
# (with the same flags as Scripts/test.sh, so nothing is compiled twice).
# Environment: SWIFT_BUILD_FLAGS (default: -Xswiftc -warnings-as-errors).
set -euo pipefail
cd "$(dirname "$0")/.."

read -r -a flags <<<"${SWIFT_BUILD_FLAGS--Xswiftc -warnings-as-errors}"

Scripts/install-system-dependencies.sh

echo "== Symbol graphs"
graphs=$(swift package "${flags[@]}" dump-symbol-graph --minimum-access-level public | sed -n 's/^Files written to //p' | tail -1)
if [[ -z $graphs || ! -d $graphs ]]; then
    graphs="$(swift build "${flags[@]}" --show-bin-path)/symbolgraph"
fi

status=0
for catalog in Sources/*/Docs.docc; do
    module=$(basename "$(dirname "$catalog")")
    work=".build-docc/graphs/$module"
    rm -rf "$work"
    mkdir -p "$work"
    # The module's own graph and its extensions of other modules' types (Module@Other.symbols.json).
    cp "$graphs/$module.symbols.json" "$work/"
    find "$graphs" -maxdepth 1 -name "$module@*.symbols.json" -exec cp {} "$work/" \;
    echo "== DocC: $module"
    if ! docc convert "$catalog" \
        --additional-symbol-graph-dir "$work" \
        --fallback-display-name "$module" \
        --fallback-bundle-identifier "swift-resume-optimizer.$module" \
        --output-dir ".build-docc/$module.doccarchive" \
        --warnings-as-errors; then
        status=1
    fi
done
exit $status
