#!/usr/bin/env bash
# Docs are code: compiles every ```swift block of README.md, Documentation/*.md and the DocC
# articles (Sources/*/Docs.docc/*.md) against the package as it is, and runs the README's blocks,
# top to bottom, as one program on the bundled samples (Examples/Samples). Compiler errors point at the Markdown: `README.md:42:5: error: …`.
#
#   Scripts/check-docs.sh              the blocks as extra targets of this package (reuses .build)
#   Scripts/check-docs.sh --fresh DIR  a new package in DIR, as a user would make it: Package.swift
#                                      from Documentation/GettingStarted.md, main.swift from the
#                                      README's blocks alone; built from scratch (slow) and run
#
# How blocks are marked (a prelude, a skipped block, the manifest): see Scripts/docs-snippets.py.
# Environment: SWIFT_BUILD_FLAGS (default: -Xswiftc -warnings-as-errors, as Scripts/test.sh builds).
set -euo pipefail
cd "$(dirname "$0")/.."
repository=$(pwd)

docs=(README.md Documentation/*.md Sources/*/Docs.docc/*.md)
read -r -a flags <<<"${SWIFT_BUILD_FLAGS--Xswiftc -warnings-as-errors}"

# Runs the README's program where the README's paths (resume.docx, job-description.txt) are the samples.
run_readme() {
    local executable=$1 folder=$2
    rm -rf "$folder"
    mkdir -p "$folder"
    cp Examples/Samples/resume.docx Examples/Samples/job-description.txt "$folder/"
    echo "== Running the README's program in $folder"
    (cd "$folder" && "$executable")
}

if [[ ${1:-} == --fresh ]]; then
    folder=${2:?usage: Scripts/check-docs.sh --fresh DIR}
    # A new package each time; an earlier run's build folder is kept, so only changed code recompiles.
    rm -rf "$folder/Package.swift" "$folder/Sources" "$folder/run"
    mkdir -p "$folder"
    target=$(python3 Scripts/docs-snippets.py fresh "$folder" "$repository" Documentation/GettingStarted.md README.md)
    echo "== A fresh package in $folder: Package.swift from Documentation/GettingStarted.md, Sources/$target/main.swift from README.md"
    echo "   swift build --package-path $folder"
    swift build --package-path "$folder"
    run_readme "$(swift build --package-path "$folder" --show-bin-path)/$target" "$folder/run"
    exit 0
fi

Scripts/install-system-dependencies.sh

echo "== Compiling the Swift blocks of ${docs[*]}"
rm -rf .build-docs/Sources
targets=$(python3 Scripts/docs-snippets.py targets .build-docs/Sources "${docs[@]}")
# The root manifest adds one executable target per generated folder when this variable is set.
export RESUME_OPTIMIZER_DOCS_TARGETS="${targets//$'\n'/ }"
for target in $targets; do
    swift build --product "$target" "${flags[@]}"
done
run_readme "$(swift build --show-bin-path "${flags[@]}")/DocsReadme" .build-docs/run
echo "== Docs check passed: ${RESUME_OPTIMIZER_DOCS_TARGETS}"
