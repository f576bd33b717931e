#!/usr/bin/env bash
# `make bench`: every benchmark of the package in one run, written to BENCHMARKS.md.
#
#   scripts/bench_all.sh [--quick]
#
# 1. the codec (scripts/bench_codec.sh): ProtoWire, swift-protobuf, C++ protobuf
# 2. the gRPC transport (scripts/bench_transport.sh): ours, grpc-swift-2, Python grpcio and
#    h2load against a C++ gRPC server, h2c and TLS
# 3. end to end, gRPC against REST (`annotations bench`, release build, the emulator in its
#    own process): post and list(per_page 128) over grpc, rest-h2, rest-h1 and URLSession
#    on loopback h2c/HTTP, and post over TLS
# 4. the connection pool and the observer (scripts/bench_pool.sh): calls/s and p99 at 64 and
#    256 in flight with 1, 2 and 4 connections against the C++ gRPC server (h2load -c N as the
#    floor) and the emulator; Post at 1 and 64 in flight with no observer and a counting one
# 5. the WAN profile (scripts/bench_wan.sh): grpc, rest-h2 and rest-h1, without and with gzip,
#    for Post and List(128) at 1, 16 and 64 in flight, between two network namespaces shaped by
#    tc netem (20 ms round trip, 50 Mbit/s); one line saying why when it cannot run here
# 6. scripts/bench_report.py: BENCHMARKS.md with the machine, the date, the commit, every
#    table and the latency plots (docs/benchmarks/*.svg), and the ratios against the targets;
#    then the sections of steps 4 and 5 go in before its closing "Reproduce" line
#
# --quick: shorter runs (1 s each, fewer levels), for trying the pipeline out. Intermediate
# files: Benchmarks/.build-bench/. Takes about 17 minutes, plus first builds.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$ROOT/Benchmarks/.build-bench/all"
PLOTS="$ROOT/docs/benchmarks"
QUICK=0
[ "${1:-}" = "--quick" ] && QUICK=1
mkdir -p "$WORK" "$PLOTS"
log() { echo "bench_all: $*" >&2; }
LOCK=/tmp/swift-build.lock
locked() { if command -v flock >/dev/null; then flock "$LOCK" "$@"; else "$@"; fi; }

if [ "$QUICK" = 1 ]; then
    export BENCH_SECONDS=1 BENCH_LATENCY_SECONDS=1 BENCH_WARMUP=0.5 BENCH_LEVELS=1,64 BENCH_RUNS=3
    E2E=(--duration 1 --warm-up 0.3 --in-flight 1,64)
else
    E2E=(--duration 3 --warm-up 1 --in-flight 1,16,64)
fi

STATUS=0
log "1/4 codec"
bash "$ROOT/scripts/bench_codec.sh" --out "$WORK/codec.md" >"$WORK/codec.txt" || STATUS=1
log "2/4 gRPC transport"
bash "$ROOT/scripts/bench_transport.sh" --out "$WORK/transport.md" >"$WORK/transport.txt" || STATUS=1

log "3/4 gRPC against REST (building annotations in release mode)"
locked swift build -c release --package-path "$ROOT" --product annotations >"$WORK/build-annotations.log" 2>&1 \
    || { tail -30 "$WORK/build-annotations.log" >&2; exit 1; }
BIN="$ROOT/.build/release/annotations"
run_bench() {  # NAME ARGS...
    local name=$1; shift
    log "  annotations bench $*"
    locked "$BIN" bench --json --plot "$PLOTS/$name.svg" "$@" >"$WORK/$name.json" 2>"$WORK/$name.log" || {
        tail -5 "$WORK/$name.log" >&2; STATUS=1; }
}
run_bench post-h2c --call post --transport grpc,rest-h2,rest-h1,urlsession "${E2E[@]}"
run_bench list128-h2c --call list --per-page 128 --transport grpc,rest-h2,rest-h1,urlsession "${E2E[@]}"
run_bench post-tls --tls --call post --transport grpc,rest-h2,rest-h1 "${E2E[@]}"

log "4/4 connection pool and observer overhead"
POOL_ARGS=(--out "$WORK/pool.md")
[ "$QUICK" = 1 ] && POOL_ARGS+=(--quick)
ANNOTATIONS_BIN="$BIN" bash "$ROOT/scripts/bench_pool.sh" "${POOL_ARGS[@]}" >"$WORK/pool.txt" 2>"$WORK/pool.log" || {
    tail -5 "$WORK/pool.log" >&2; STATUS=1; }

log "5/5 WAN profile (two network namespaces, tc netem; skipped without root, ip netns or sch_netem)"
WAN_ARGS=(--out "$WORK/wan.md")
[ "$QUICK" = 1 ] && WAN_ARGS+=(--quick)
ANNOTATIONS_BIN="$BIN" bash "$ROOT/scripts/bench_wan.sh" "${WAN_ARGS[@]}" 2>"$WORK/wan.log" || {
    tail -5 "$WORK/wan.log" >&2; STATUS=1; }

python3 "$ROOT/scripts/bench_report.py" --work "$WORK" --plots docs/benchmarks --out "$ROOT/BENCHMARKS.md" || STATUS=1
for section in "$WORK/pool.md" "$WORK/wan.md"; do
    [ -s "$section" ] || continue
    # The pool, observer and WAN sections before the closing "Reproduce" line of bench_report.py.
    python3 - "$ROOT/BENCHMARKS.md" "$section" <<'PYTHON' || STATUS=1
import sys
path, pool = sys.argv[1], open(sys.argv[2]).read().rstrip("\n") + "\n"
text = open(path).read()
at = text.rfind("\nReproduce:")
text = text + "\n" + pool if at < 0 else text[:at + 1] + pool + "\n" + text[at + 1:]
open(path, "w").write(text)
PYTHON
done
log "wrote BENCHMARKS.md"
exit $STATUS
