#!/usr/bin/env bash
# Installs the C libraries the package links (libzip, libxml2) when they are missing.
# Safe to run again: it does nothing when both are already there.
set -euo pipefail

if pkg-config --exists libzip libxml-2.0 2>/dev/null; then
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: libzip and libxml2 development files are missing; install them with your package manager" >&2
    echo "       (Debian/Ubuntu: libzip-dev zlib1g-dev libxml2-dev pkg-config; macOS: brew install libzip libxml2)" >&2
    exit 1
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
echo "Installing libzip-dev, zlib1g-dev, libxml2-dev and pkg-config with apt-get…" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libzip-dev zlib1g-dev libxml2-dev pkg-config >/dev/null
