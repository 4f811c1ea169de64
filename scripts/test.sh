#!/usr/bin/env bash
# The test command (README, .ci/run): installs what is missing, checks formatting, starts a throwaway
# redis-server on a free loopback port with config/redis.conf, runs `swift test` (recording every emulator
# exchange), validates those exchanges against Discord's OpenAPI document, then runs every fuzz target for a
# bounded time (scripts/fuzz.sh), and always stops that Redis.
# Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh

echo "==> the repository is self-contained"
./scripts/check-self-contained.sh

echo "==> swift format lint"
swift format lint --strict --recursive --parallel Package.swift Sources Tests Benchmarks

redis_dir=$(mktemp -d -t aetheria-redis.XXXXXX)
redis_pid=""
stop_redis() {
    if [[ -n "$redis_pid" ]] && kill -0 "$redis_pid" 2>/dev/null; then
        kill "$redis_pid" 2>/dev/null || true
        wait "$redis_pid" 2>/dev/null || true
    fi
    rm -rf "$redis_dir"
}
trap stop_redis EXIT

port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Pick a free loopback port, start Redis on it, and retry with another port if someone took it meanwhile.
for attempt in 1 2 3 4 5 6 7 8 9 10; do
    port=$((20000 + RANDOM % 30000))
    port_is_free "$port" || continue
    redis-server config/redis.conf --port "$port" --dir "$redis_dir" --daemonize no \
        --logfile "$redis_dir/redis.log" &
    redis_pid=$!
    for _ in $(seq 1 50); do
        if redis-cli -p "$port" ping >/dev/null 2>&1; then break; fi
        sleep 0.1
    done
    if redis-cli -p "$port" ping >/dev/null 2>&1; then
        export AETHERIA_TEST_REDIS_URL="redis://127.0.0.1:$port/0"
        break
    fi
    kill "$redis_pid" 2>/dev/null || true
    redis_pid=""
done
if [[ -z "${AETHERIA_TEST_REDIS_URL:-}" ]]; then
    echo "test: could not start redis-server on a free loopback port" >&2
    cat "$redis_dir/redis.log" >&2 || true
    exit 1
fi
echo "==> redis-server for tests at $AETHERIA_TEST_REDIS_URL (pid $redis_pid)"

# Python test tools (jsonschema, hikari) in .build-python/venv, from PyPI.
AETHERIA_TEST_PYTHON=$(./scripts/python-tools.sh)
export AETHERIA_TEST_PYTHON

# Every emulator the tests start records its REST exchanges here; afterwards each one is validated against
# Discord's OpenAPI document (scripts/check-discord-schema.py, docs/emulator.md).
exchanges_dir=$(mktemp -d -t aetheria-exchanges.XXXXXX)
export AETHERIA_EMULATOR_EXCHANGES="$exchanges_dir"

echo "==> swift test"
swift test "$@"

echo "==> emulator answers and bot requests against Discord's OpenAPI document"
"$AETHERIA_TEST_PYTHON" scripts/check-discord-schema.py ThirdParty/discord-api-spec/openapi.json "$exchanges_dir"
rm -rf "$exchanges_dir"

# Every libFuzzer target for a bounded time (docs/reliability.md); AETHERIA_FUZZ_SECONDS=0 skips them.
fuzz_seconds="${AETHERIA_FUZZ_SECONDS:-10}"
if [[ "$fuzz_seconds" != "0" ]]; then
    echo "==> fuzz targets, $fuzz_seconds s each"
    ./scripts/fuzz.sh all "$fuzz_seconds"
fi
