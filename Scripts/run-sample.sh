#!/usr/bin/env bash
# Runs the main job on the bundled sample files with the offline default (no AI model, no API key):
# tailors Examples/Samples/resume.docx to Examples/Samples/job-description.txt and prints the result.
set -euo pipefail
cd "$(dirname "$0")/.."

Scripts/install-system-dependencies.sh

swift build --package-path Examples --product resume-optimizer
bin="$(swift build --package-path Examples --show-bin-path)/resume-optimizer"
output_dir="${OUTPUT_DIR:-${TMPDIR:-/tmp}/resume-optimizer-sample}"

"$bin" analyze --resume Examples/Samples/resume.docx --job Examples/Samples/job-description.txt
echo
"$bin" optimize --resume Examples/Samples/resume.docx --job Examples/Samples/job-description.txt \
    --output-dir "$output_dir" | tee "$output_dir.log"
echo
file="$(sed -n 's/^COMPLETED: //p' "$output_dir.log")"
echo "== $file"
cat "$file"
