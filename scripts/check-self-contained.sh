#!/usr/bin/env bash
# Nothing the project builds, tests, scripts or documents may depend on a path outside its repository: a fresh
# clone must be complete. A cheap textual check over the tracked files (run by scripts/test.sh): no reference
# to the workplace's shared folder or an absolute workplace path, and no package path that climbs out.
# Vendored third-party files (ThirdParty/) are checked too, except Discord's OpenAPI document itself.
set -euo pipefail
cd "$(dirname "$0")/.."

pattern='\.\./shared|\.\./discord-api-spec|/work/(main|shared|\.library)'
found=$(git grep -nE "$pattern" -- . ':!ThirdParty/discord-api-spec/openapi.json' ':!scripts/check-self-contained.sh' || true)
climbing=$(grep -nE 'path: *"\.\.' Package.swift || true)
if [[ -n "$found$climbing" ]]; then
    echo "check-self-contained: these lines refer to a path outside the repository:" >&2
    [[ -n "$found" ]] && echo "$found" >&2
    [[ -n "$climbing" ]] && echo "Package.swift: $climbing" >&2
    exit 1
fi
echo "check-self-contained: no tracked file refers to a path outside the repository"
