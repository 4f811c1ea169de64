#!/usr/bin/env bash
# Installs the system packages Aetheria builds and tests against, when any is missing.
# Idempotent and silent when everything is present. Uses sudo when not root.
set -euo pipefail

packages=(libssl-dev zlib1g-dev libhiredis-dev libsqlite3-dev redis-server pkg-config python3 python3-venv chromium)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if ((${#missing[@]} > 0)); then
    sudo_prefix=()
    if [[ $(id -u) -ne 0 ]]; then
        sudo_prefix=(sudo)
    fi
    echo "install-deps: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    "${sudo_prefix[@]}" apt-get update -qq >/dev/null
    "${sudo_prefix[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
    echo "install-deps: the Swift toolchain (6.3; tested with 6.3.1) is required; see https://www.swift.org/install/linux/" >&2
    exit 1
fi
