#!/usr/bin/env bash
# The main job (README): installs what is missing, builds in release mode and starts `aetheria demo`.
# Extra arguments go to `aetheria demo` (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
swift build -c release --product aetheria
exec .build/release/aetheria demo "$@"
