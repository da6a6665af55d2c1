#!/usr/bin/env bash
# Runs the main job on the bundled sample files with the offline default provider.
set -euo pipefail
cd "$(dirname "$0")/.."

Scripts/install-system-dependencies.sh

swift build --package-path Examples --product resume-optimizer
bin="$(swift build --package-path Examples --show-bin-path)/resume-optimizer"
"$bin" extract Examples/Samples/resume.docx
