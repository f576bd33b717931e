#!/usr/bin/env bash
# `make fuzz`: builds annotations-fuzz with libFuzzer and AddressSanitizer, then runs each
# target for FUZZ_SECONDS (default 60) on its seed corpus (Tests/Fuzz/corpus/<target>) and
# dictionary (Tests/Fuzz/dict/<target>.dict).
#
#   scripts/fuzz.sh [target…]      targets: decode json response emulator session request dynamic (default: all)
#
# New inputs go to a working corpus under .build-fuzz/corpus/<target> (not committed). An
# input that crashes, leaks, times out or runs out of memory is written to
# Tests/Fuzz/crashes/<target>/; commit it with the fix: Tests/FuzzTargetsTests replays every
# file there in `make test`. Reproduce one without the fuzzer:
#   swift run annotations-fuzz <target> Tests/Fuzz/crashes/<target>/<file>
# Exit status 1 when a target found something.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECONDS_PER_TARGET="${FUZZ_SECONDS:-60}"
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(decode json response emulator session request dynamic)
LOCK=/tmp/swift-build.lock
locked() { if command -v flock >/dev/null; then flock "$LOCK" "$@"; else "$@"; fi; }

mkdir -p "$ROOT/.build-fuzz"
echo "fuzz: building annotations-fuzz (-sanitize=fuzzer,address)" >&2
# gold cannot link the sanitizer runtimes here: lld (from the Swift toolchain) does.
if ! locked swift build --package-path "$ROOT" --product annotations-fuzz --scratch-path "$ROOT/.build-fuzz" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld \
    >"$ROOT/.build-fuzz/build.log" 2>&1; then
    tail -30 "$ROOT/.build-fuzz/build.log" >&2
    exit 1
fi
BIN="$ROOT/.build-fuzz/debug/annotations-fuzz"

STATUS=0
for target in "${TARGETS[@]}"; do
    work="$ROOT/.build-fuzz/corpus/$target"
    crashes="$ROOT/Tests/Fuzz/crashes/$target"
    mkdir -p "$work" "$crashes"
    dict=()
    [ -f "$ROOT/Tests/Fuzz/dict/$target.dict" ] && dict=(-dict="$ROOT/Tests/Fuzz/dict/$target.dict")
    echo "fuzz: $target for ${SECONDS_PER_TARGET} s" >&2
    log="$ROOT/.build-fuzz/$target.log"
    FUZZ_TARGET="$target" "$BIN" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 \
        -max_len=65536 -print_final_stats=1 -artifact_prefix="$crashes/" "${dict[@]}" \
        "$work" "$ROOT/Tests/Fuzz/corpus/$target" >"$log" 2>&1
    code=$?
    runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo "?")
    if [ $code -ne 0 ]; then
        STATUS=1
        echo "fuzz: $target FOUND A PROBLEM (exit $code) after $runs runs; input saved in $crashes/" >&2
        grep -E "ERROR|SUMMARY|Fatal error|Precondition failed|panic" "$log" | head -5 >&2
    else
        echo "fuzz: $target clean: $runs runs, corpus $(ls "$work" | wc -l) inputs" >&2
    fi
done
exit $STATUS
