#!/usr/bin/env bash
# The transport benchmark (`make bench`, after the codec benchmark): gRPC unary calls on
# loopback, h2c and TLS, against a C++ gRPC echo server (Debian's libgrpc++ 1.51), from
#   h2load (raw HTTP/2, the floor) · our client (H2Transport + ProtoWire, Benchmarks/
#   Sources/TransportBench) · grpc-swift-2 2.4.3 (Benchmarks/Sources/GRPCSwiftBench) ·
#   Python grpcio with the official stubs (scripts/bench_grpcio_client.py)
# and prints one Markdown table (also written to --out FILE.md) plus a `#json` line.
#
#   scripts/bench_transport.sh [--out FILE.md] [--clients h2load,ours,grpc-swift-2,grpcio]
#                              [--transports h2c,tls]
#
# 1. scripts/bench_transport_payloads.py: requests and canned responses (official Python classes)
# 2. Tests/Peers/make_certs.sh: a CA and a localhost server certificate
# 3. scripts/bench_transport_server.sh: builds Benchmarks/cpp/grpc_echo_server.cc
# 4. `swift build -c release` of GRPCSwiftBench and TransportBench (Benchmarks/ package)
# 5. scripts/bench_transport.py: runs every client against the server, prints the table
#
# Environment: BENCH_WARMUP (s, default 1), BENCH_LATENCY_SECONDS (default 3), BENCH_SECONDS
# (per in-flight level, default 3), BENCH_LEVELS (default 1,16,64,256), BENCH_SERVER_THREADS
# (default 2), BENCH_HOLD_LOCK (default 1: every client run holds /tmp/swift-build.lock while
# it measures, so Swift builds elsewhere on the machine wait; 0 turns that off). Takes about
# 4 minutes with the defaults, plus the first build of grpc-swift-2 and its dependencies
# (several minutes on 2 cores). Intermediate files: Benchmarks/.build-bench/transport/.
# Exits 1 (after the table) when our client could not be built or measured, or a client
# reported a failed check or failed calls.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$ROOT/Benchmarks/.build-bench/transport"
PY_ARGS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --out) PY_ARGS+=(--out "$2"); shift 2 ;;
        --clients|--transports) PY_ARGS+=("$1" "$2"); shift 2 ;;
        *) echo "usage: $0 [--out FILE.md] [--clients LIST] [--transports h2c,tls]" >&2; exit 2 ;;
    esac
done
mkdir -p "$WORK"
log() { echo "bench_transport: $*" >&2; }

LOCK=/tmp/swift-build.lock
locked() { if command -v flock >/dev/null; then flock "$LOCK" "$@"; else "$@"; fi; }

# --- 0. tools ----------------------------------------------------------------------------
APT=()
command -v h2load >/dev/null || APT+=(nghttp2-client)
command -v openssl >/dev/null || APT+=(openssl)
command -v flock >/dev/null || APT+=(util-linux)
if [ "${#APT[@]}" -gt 0 ]; then
    log "installing ${APT[*]}"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get install -y -qq "${APT[@]}" >&2 || { $SUDO apt-get update -qq >&2 && $SUDO apt-get install -y -qq "${APT[@]}" >&2; }
fi
if ! python3 -c 'import clarifai_grpc, grpc' 2>/dev/null; then
    log "installing clarifai-grpc grpcio"
    python3 -m pip install -q --disable-pip-version-check clarifai-grpc grpcio >&2
fi

# --- 1-3. payloads, certificates, server ---------------------------------------------------
python3 "$ROOT/scripts/bench_transport_payloads.py" "$WORK/payloads"
bash "$ROOT/Tests/Peers/make_certs.sh" "$WORK/certs"
SERVER="$("$ROOT/scripts/bench_transport_server.sh")"

# --- 4. Swift clients ----------------------------------------------------------------------
swift_build() {  # PRODUCT LOGFILE [env...]
    local product=$1 logfile=$2; shift 2
    env "$@" flock "$LOCK" swift build -c release --package-path "$ROOT/Benchmarks" \
        --scratch-path "$ROOT/Benchmarks/.build" --product "$product" >"$logfile" 2>&1
}
BIN="$ROOT/Benchmarks/.build/release"
OURS=""; GRPC_SWIFT=""
log "building GRPCSwiftBench and TransportBench (swift build -c release; the first build of grpc-swift-2 takes minutes)"
if swift_build TransportBench "$WORK/build-ours.log"; then
    OURS="$BIN/TransportBench"
else
    tail -30 "$WORK/build-ours.log" >&2
    log "TransportBench (our client) does not build; measuring the peers only (see $WORK/build-ours.log)"
fi
if swift_build GRPCSwiftBench "$WORK/build-grpc-swift.log"; then
    GRPC_SWIFT="$BIN/GRPCSwiftBench"
elif swift_build GRPCSwiftBench "$WORK/build-grpc-swift-alone.log" BENCH_WITHOUT_PROTOWIRE=1; then
    GRPC_SWIFT="$BIN/GRPCSwiftBench"   # the root package does not even load: build the peer alone
else
    tail -30 "$WORK/build-grpc-swift-alone.log" >&2
    log "GRPCSwiftBench does not build (see $WORK/build-grpc-swift*.log)"
fi

# --- 5. measure ----------------------------------------------------------------------------
ARGS=(--server "$SERVER" --payload-dir "$WORK/payloads" --certs "$WORK/certs" --work "$WORK")
[ -n "$OURS" ] && ARGS+=(--ours "$OURS")
[ -n "$GRPC_SWIFT" ] && ARGS+=(--grpc-swift "$GRPC_SWIFT")
exec python3 "$ROOT/scripts/bench_transport.py" "${ARGS[@]}" ${PY_ARGS[@]+"${PY_ARGS[@]}"}
