#!/usr/bin/env bash
# Runs Aetheria's libFuzzer targets (docs/reliability.md).
#
#   scripts/fuzz.sh                 every target for 10 s each
#   scripts/fuzz.sh markdown 300    one target for 300 s
#   scripts/fuzz.sh all 30          every target for 30 s each
#   scripts/fuzz.sh --list          the targets and what each parses
#
# Builds `aetheria-fuzz` with --sanitize=fuzzer in its own build folder (.build-fuzz), starts each target from
# a copy of its seed corpus in Fuzz/corpus/<target>/ (new inputs libFuzzer finds stay in .build-fuzz/corpus),
# prints executions and crashes per target, and exits non-zero when any target crashed or hung; the input that
# did it is saved under .build-fuzz/artifacts/<target>/. Add such an input to Fuzz/corpus/<target>/ with the
# fix, so the test suite replays it from then on.
set -euo pipefail
cd "$(dirname "$0")/.."

target="${1:-all}"
seconds="${2:-10}"
binary=.build-fuzz/debug/aetheria-fuzz

echo "==> building aetheria-fuzz with libFuzzer (.build-fuzz)"
AETHERIA_FUZZ_BUILD=1 swift build --sanitize=fuzzer -Xswiftc -DFUZZING --product aetheria-fuzz \
    --scratch-path .build-fuzz 2>&1 | grep -E "error:|Build complete" || true
if [[ ! -x "$binary" ]]; then
    echo "fuzz: the fuzzer build failed" >&2
    exit 1
fi

if [[ "$target" == "--list" ]]; then
    grep -ho 'name: "[a-z-]*", summary: "[^"]*"' Sources/AetheriaFuzzTargets/*.swift | sed -E 's/name: "([^"]*)", summary: "([^"]*)"/\1\t\2/'
    exit 0
fi

if [[ "$target" == "all" ]]; then
    targets=$(ls Fuzz/corpus)
else
    targets="$target"
fi

failed=0
printf '%-20s %12s %8s %s\n' target executions crashes result
for name in $targets; do
    if [[ ! -d "Fuzz/corpus/$name" ]]; then
        echo "fuzz: no target named $name (see scripts/fuzz.sh --list)" >&2
        exit 2
    fi
    work=".build-fuzz/corpus/$name"
    artifacts=".build-fuzz/artifacts/$name"
    log=".build-fuzz/logs/$name.log"
    mkdir -p "$work" "$artifacts" "$(dirname "$log")"
    set +e
    AETHERIA_FUZZ_TARGET="$name" "$binary" "$work" "Fuzz/corpus/$name" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 \
        -artifact_prefix="$artifacts/" >"$log" 2>&1
    status=$?
    set -e
    executions=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    crashes=$(find "$artifacts" -type f | wc -l)
    if [[ $status -eq 0 ]]; then
        result=ok
    else
        result="FAILED (exit $status; see $log)"
        failed=1
        grep -E "==ERROR|Fatal error|SUMMARY|deadly signal|timeout" "$log" | head -5 >&2 || true
    fi
    printf '%-20s %12s %8s %s\n' "$name" "${executions:-0}" "$crashes" "$result"
done
exit $failed
