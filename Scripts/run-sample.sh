#!/usr/bin/env bash
# Runs the main job on the bundled sample files with the offline default (no AI model, no API key):
# tailors Examples/Samples/resume.docx to Examples/Samples/job-description.txt, writes the result as
# the sample's own .docx edited in place, and prints that document's text read back.
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
case "$file" in
    # A Word resume comes back as the user's own document edited in place: print its text read back.
    *.docx) "$bin" extract "$file" ;;
    *) cat "$file" ;;
esac
echo
# What the tailoring changed: the lines it removed (-) and added (+), from the original's text.
echo "== What changed (- before, + after)"
"$bin" extract Examples/Samples/resume.docx >"$output_dir/original.txt"
diff -U0 "$output_dir/original.txt" "$file" | tail -n +3 | grep -v -e '^@@' -e '^[-+]$' | cut -c1-110 || true
