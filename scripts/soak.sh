#!/usr/bin/env bash
# `make soak`: the long reliability runs that do not fit in `make test`.
#
# 1. A mixed workload (post, list, patch, delete in turn; 64 callers over gRPC, then over
#    REST on HTTP/1.1) against the emulator in its own process for SOAK_SECONDS (default 300)
#    each: calls, errors, p99 and the resident memory of client and emulator at start and end.
# 2. The lossless bulk import of Tests/EmulatorInterop/test_lossless_import.py with
#    IMPORT_COUNT=100000 (faults injected, one kill, resumed; export must equal the input,
#    peak RSS under 100 MB).
# Release builds. Exit status 1 when a call failed, memory grew by more than half, or the
# import test failed.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECONDS_PER_RUN="${SOAK_SECONDS:-300}"
WORK="$ROOT/.build/soak"
mkdir -p "$WORK"
LOCK=/tmp/swift-build.lock
locked() { if command -v flock >/dev/null; then flock "$LOCK" "$@"; else "$@"; fi; }

echo "soak: building annotations (release)" >&2
locked swift build -c release --package-path "$ROOT" --product annotations >"$WORK/build.log" 2>&1 \
    || { tail -30 "$WORK/build.log" >&2; exit 1; }
BIN="$ROOT/.build/release/annotations"

STATUS=0
echo "soak: mixed workload, 64 in flight, ${SECONDS_PER_RUN} s per wire" >&2
"$BIN" bench --call mixed --transport grpc,rest-h1 --in-flight 64 --duration "$SECONDS_PER_RUN" --warm-up 2 \
    --json >"$WORK/mixed.json" 2>"$WORK/mixed.log" || STATUS=1
python3 - "$WORK/mixed.json" <<'PY' || STATUS=1
import json, sys
report = json.load(open(sys.argv[1]))
ok = True
for run in report["runs"]:
    mb = lambda b: (b or 0) / 1048576
    print(f"{run['transport']:8} ×{run['in_flight']}: {run['calls']:,} calls in {run['seconds']:.0f} s "
          f"({run['calls_per_second']:,.0f}/s), {run['errors']} errors, p99 {run['latency_us']['p99']:,} µs, "
          f"client RSS {mb(run['resident_bytes_start']):.1f} → {mb(run['resident_bytes_end']):.1f} MB, "
          f"emulator RSS {mb(run.get('server_resident_bytes_start')):.1f} → {mb(run.get('server_resident_bytes_end')):.1f} MB")
    if run["errors"] or run["resident_bytes_end"] > 1.5 * run["resident_bytes_start"] + 8 * 1048576:
        ok = False
sys.exit(0 if ok else 1)
PY

echo "soak: lossless import of 100,000 annotations with faults and a kill" >&2
ANNOTATIONS_BIN="$BIN" IMPORT_COUNT="${IMPORT_COUNT:-100000}" python3 -m pytest -q -s \
    "$ROOT/Tests/EmulatorInterop/test_lossless_import.py" || STATUS=1
exit $STATUS
