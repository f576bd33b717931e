#!/usr/bin/env bash
# The WAN profile of `make bench`: the client and the emulator in two network namespaces
# joined by a veth pair, each end shaped by `tc netem` (10 ms each way: a 20 ms round trip,
# and 50 Mbit/s), then `annotations bench` for Post and List(128) at 1, 16 and 64 in flight,
# over grpc, rest-h2 and rest-h1, without and with gzip: what users comparing gRPC with REST
# over a real link see.
#
#   scripts/bench_wan.sh --out FILE [--quick]
#
# Needs root, `ip netns` and the kernel's sch_netem. Without one of them it writes a single
# line to FILE saying which, and exits 0: the rest of `make bench` goes on. Everything it
# makes (two namespaces, the veth pair, the emulator) is removed on exit, whatever happens.
# ANNOTATIONS_BIN: the binary to measure (default: the release build).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT=""
QUICK=0
while [ $# -gt 0 ]; do
    case "$1" in
        --out) OUT=$2; shift 2 ;;
        --quick) QUICK=1; shift ;;
        *) echo "bench_wan: unknown argument $1" >&2; exit 64 ;;
    esac
done
[ -n "$OUT" ] || { echo "bench_wan: --out FILE is required" >&2; exit 64; }
BIN="${ANNOTATIONS_BIN:-$ROOT/.build/release/annotations}"
PLOTS="$ROOT/docs/benchmarks"
SERVER=annwan-srv-$$
CLIENT=annwan-cli-$$
SERVER_IP=10.213.0.1
CLIENT_IP=10.213.0.2
PORT=8080
KEY=wan-bench-$$
SERVE_PID=""

skip() {  # why
    printf '## WAN profile\n\nSkipped: %s.\n' "$1" >"$OUT"
    echo "bench_wan: skipped: $1" >&2
    exit 0
}

cleanup() {
    [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID" 2>/dev/null
    ip netns del "$SERVER" 2>/dev/null || true
    ip netns del "$CLIENT" 2>/dev/null || true
}

[ "$(id -u)" = 0 ] || skip "it needs root to make network namespaces"
command -v ip >/dev/null || skip "\`ip\` (iproute2) is not installed"
command -v tc >/dev/null || skip "\`tc\` (iproute2) is not installed"
[ -x "$BIN" ] || { echo "bench_wan: no binary at $BIN" >&2; exit 1; }
trap cleanup EXIT

ip netns add "$SERVER" 2>/dev/null || skip "\`ip netns add\` failed: no network namespaces here"
ip netns add "$CLIENT"
ip link add veth-s$$ netns "$SERVER" type veth peer name veth-c$$ netns "$CLIENT" \
    || skip "no veth pairs here (\`ip link add ... type veth\` failed)"
ip -n "$SERVER" addr add "$SERVER_IP/24" dev veth-s$$
ip -n "$CLIENT" addr add "$CLIENT_IP/24" dev veth-c$$
for ns in "$SERVER" "$CLIENT"; do
    ip -n "$ns" link set lo up
done
ip -n "$SERVER" link set veth-s$$ up
ip -n "$CLIENT" link set veth-c$$ up
for side in "$SERVER veth-s$$" "$CLIENT veth-c$$"; do
    set -- $side
    if ! reason=$(ip netns exec "$1" tc qdisc add dev "$2" root netem delay 10ms rate 50mbit limit 10000 2>&1); then
        skip "\`tc qdisc add ... netem\` failed (${reason//$'\n'/ }): this kernel has no sch_netem"
    fi
done

ip netns exec "$SERVER" "$BIN" serve --host "$SERVER_IP" --port "$PORT" --api-key "$KEY" --compression gzip \
    >"$OUT.serve.log" 2>&1 &
SERVE_PID=$!
for _ in $(seq 50); do
    ip netns exec "$CLIENT" bash -c "echo >/dev/tcp/$SERVER_IP/$PORT" 2>/dev/null && break
    sleep 0.2
done

if [ "$QUICK" = 1 ]; then RUN=(--duration 2 --warm-up 0.5); else RUN=(--duration 5 --warm-up 1); fi
{
    echo "## WAN profile"
    echo
    echo "The client and the emulator in two network namespaces joined by a veth pair, each end"
    echo "\`tc netem delay 10ms rate 50mbit\` (a 20 ms round trip, 50 Mbit/s). \`annotations bench\`"
    echo "output, one block per call and compression."
    for call in post list; do
        extra=()
        [ "$call" = list ] && extra=(--per-page 128)
        for compression in none gzip; do
            name="wan-$call-$compression"
            echo
            echo "### $call${extra[*]:+ (per page 128)}, compression $compression"
            echo
            echo '```'
            ip netns exec "$CLIENT" "$BIN" bench --endpoint "http://$SERVER_IP:$PORT" --pat "$KEY" \
                --call "$call" "${extra[@]}" --transport grpc,rest-h2,rest-h1 --in-flight 1,16,64 \
                --compression "$compression" --plot "$PLOTS/$name.svg" "${RUN[@]}" 2>&1
            echo '```'
            echo
            echo "![latency, $call, $compression](docs/benchmarks/$name.svg)"
        done
    done
} >"$OUT"
echo "bench_wan: wrote $OUT" >&2
