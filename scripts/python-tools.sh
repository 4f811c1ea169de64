#!/usr/bin/env bash
# Makes .build-python/venv with Tests/ThirdParty/requirements.txt installed (from PyPI), when missing or out
# of date, and prints the path of its python. Used by scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.build-python/venv
requirements=Tests/ThirdParty/requirements.txt
stamp="$venv/.requirements"
if [[ ! -x "$venv/bin/python" ]] || ! cmp -s "$requirements" "$stamp"; then
    echo "python-tools: installing $(grep -v '^#' "$requirements" | xargs) into $venv" >&2
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" >&2
    cp "$requirements" "$stamp"
fi
echo "$PWD/$venv/bin/python"
