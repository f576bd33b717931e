#!/usr/bin/env bash
# The connection pool and observer benchmark (`make bench`, after gRPC against REST): two
# Markdown tables for BENCHMARKS.md (issue 13), printed and written to --out FILE.md, plus a
# `#json` line with every number.
#
#   scripts/bench_pool.sh [--out FILE.md] [--quick]
#
# (a) Pool: Post (1 annotation) calls/s and p99 at 64 and 256 in flight with a pool of 1, 2
#     and 4 connections, gRPC over h2c:
#       - h2load -c N -m (in-flight / N) against the C++ gRPC echo server of the transport
#         benchmark (Benchmarks/cpp/grpc_echo_server.cc): the floor, the same total streams
#         in flight spread over N connections;
#       - `annotations bench --max-connections 1,2,4` against the same server (its
#         default target, ceil(in-flight / N) streams per connection, spreads the calls the
#         same way; the number of connections it opened is reported);
#       - the same against the emulator (`annotations serve`, its own process).
# (b) Observer overhead: `annotations bench --observer none,counting` (no observer, and one
#     that only counts events atomically), Post at 1 and 64 in flight against the emulator,
#     in BENCH_OBSERVER_SITTINGS sittings (default 4) with the order swapped each time, so
#     that neither always runs first; medians over the sittings, and the ratios' range.
#
# Environment: ANNOTATIONS_BIN (default: builds .build/release/annotations), BENCH_POOL_SECONDS
# (per run, default 3), BENCH_POOL_WARMUP (default 1), BENCH_SERVER_THREADS (default 2),
# BENCH_OBSERVER_SITTINGS (default 4), BENCH_HOLD_LOCK (default 1: each measurement holds /tmp/swift-build.lock, so that builds
# elsewhere on the machine wait). About 3 minutes with the defaults (--quick: 1 s runs, about
# a minute). Intermediate files: Benchmarks/.build-bench/pool/. Exits 1 (after the tables)
# when a run failed or had failed calls.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$ROOT/Benchmarks/.build-bench/pool"
OUT=""
QUICK=0
while [ $# -gt 0 ]; do
    case "$1" in
        --out) OUT="$2"; shift 2 ;;
        --quick) QUICK=1; shift ;;
        *) echo "usage: $0 [--out FILE.md] [--quick]" >&2; exit 2 ;;
    esac
done
mkdir -p "$WORK"
log() { echo "bench_pool: $*" >&2; }
LOCK=/tmp/swift-build.lock
locked() { if command -v flock >/dev/null; then flock "$LOCK" "$@"; else "$@"; fi; }

if [ "$QUICK" = 1 ]; then
    export BENCH_POOL_SECONDS="${BENCH_POOL_SECONDS:-1}" BENCH_POOL_WARMUP="${BENCH_POOL_WARMUP:-0.5}"
fi

# --- tools, payloads, server, our binary -----------------------------------------------------
if ! command -v h2load >/dev/null; then
    log "installing nghttp2-client"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get install -y -qq nghttp2-client >&2 || { $SUDO apt-get update -qq >&2 && $SUDO apt-get install -y -qq nghttp2-client >&2; }
fi
if ! python3 -c 'import clarifai_grpc' 2>/dev/null; then
    log "installing clarifai-grpc"
    python3 -m pip install -q --disable-pip-version-check clarifai-grpc >&2
fi
python3 "$ROOT/scripts/bench_transport_payloads.py" "$WORK/payloads" >&2
SERVER="$("$ROOT/scripts/bench_transport_server.sh")"
BIN="${ANNOTATIONS_BIN:-}"
if [ -z "$BIN" ]; then
    log "building annotations (swift build -c release)"
    locked swift build -c release --package-path "$ROOT" --product annotations >"$WORK/build.log" 2>&1 \
        || { tail -30 "$WORK/build.log" >&2; exit 1; }
    BIN="$ROOT/.build/release/annotations"
fi

# --- measure and report ----------------------------------------------------------------------
export BENCH_POOL_OUT="$OUT"
exec python3 - "$ROOT" "$SERVER" "$BIN" "$WORK" <<'PYTHON'
import json, os, re, subprocess, sys, time

root, server_bin, annotations, work = sys.argv[1:5]
sys.path.insert(0, os.path.join(root, "scripts"))
import bench_transport as bt  # the C++ server's start/stop and the build lock, shared

SECONDS = float(os.environ.get("BENCH_POOL_SECONDS", "3"))
WARMUP = float(os.environ.get("BENCH_POOL_WARMUP", "1"))
LEVELS = (64, 256)
POOLS = (1, 2, 4)
OBSERVER_LEVELS = (1, 64)
SITTINGS = int(os.environ.get("BENCH_OBSERVER_SITTINGS", "4"))
payloads = os.path.join(work, "payloads")
problems = []


def log(msg):
    print(f"bench_pool: {msg}", file=sys.stderr, flush=True)


def h2load(port, connections, in_flight):
    """h2load -c N -m in_flight/N: calls/s and p99 (from its per-request log)."""
    logfile = os.path.join(work, "h2load-requests.log")
    ms = lambda s: f"{max(1, round(s * 1000))}ms"
    cmd = ["h2load", "-c", str(connections), "-m", str(in_flight // connections), "-D", ms(SECONDS),
           "--warm-up-time", ms(WARMUP), "-d", os.path.join(payloads, "post_request.grpc"), "--log-file", logfile]
    for header in bt.GRPC_HEADERS:
        cmd += ["-H", header]
    cmd.append(f"http://127.0.0.1:{port}/clarifai.api.V2/PostAnnotations")
    with bt.measuring_lock("h2load"):
        log(" ".join(cmd))
        out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout
    rate = re.search(r"finished in [\d.]+m?s, ([\d.]+) req/s", out)
    done = re.search(r"requests: \d+ total, \d+ started, (\d+) done, (\d+) succeeded", out)
    if not rate or not done:
        problems.append(f"h2load -c {connections} -m {in_flight // connections}: {out[-300:]}")
        return None
    latencies = []
    with open(logfile) as fh:
        for line in fh:
            parts = line.split("\t")
            if len(parts) >= 3:
                latencies.append(float(parts[2]))
    os.unlink(logfile)
    latencies.sort()
    p99 = latencies[max(0, -(-len(latencies) * 99 // 100) - 1)] if latencies else 0
    errors = int(done.group(1)) - int(done.group(2))
    if errors:
        problems.append(f"h2load -c {connections}: {errors} failed requests")
    return {"calls_per_s": float(rate.group(1)), "p99_us": p99, "errors": errors}


def bench(name, args):
    """`annotations bench --json ARGS`, holding the build lock while it measures."""
    cmd = [annotations, "bench", "--json", "--call", "post", "--transport", "grpc",
           "--duration", str(SECONDS), "--warm-up", str(WARMUP)] + args
    with open(os.path.join(work, f"{name}.log"), "w") as err, bt.measuring_lock(name):
        log(" ".join(cmd[1:]))
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=err, text=True)
    with open(os.path.join(work, f"{name}.json"), "w") as fh:
        fh.write(proc.stdout)
    try:
        document = json.loads(proc.stdout)
    except ValueError:
        problems.append(f"{name}: exit status {proc.returncode}, no JSON (see {work}/{name}.log)")
        return []
    if proc.returncode != 0:
        problems.append(f"{name}: exit status {proc.returncode} (see {work}/{name}.log)")
    for run in document["runs"]:
        if run["errors"]:
            problems.append(f"{name}: {run['errors']} failed calls at {run['in_flight']} in flight, first: {run.get('first_error')}")
    return document["runs"]


def run_of(runs, in_flight, pool=None, observer="none"):
    for run in runs:
        if run["in_flight"] == in_flight and run.get("observer") == observer and (pool is None or run.get("max_connections") == pool):
            return run
    return None


levels = ",".join(map(str, LEVELS))
pools = ",".join(map(str, POOLS))
server = bt.Server(server_bin, payloads, False, None, work)
log(f"C++ gRPC server (h2c) on port {server.port}, pid {server.pid}")
try:
    floor = {(level, n): h2load(server.port, n, level) for level in LEVELS for n in POOLS}
    against_cpp = bench("pool-cpp", ["--endpoint", f"h2c://127.0.0.1:{server.port}", "--pat", "bench-token",
                                     "--no-proxy", "--in-flight", levels, "--max-connections", pools])
finally:
    stats = server.stop()
against_emulator = bench("pool-emulator", ["--in-flight", levels, "--max-connections", pools])
observer_levels = ",".join(map(str, OBSERVER_LEVELS))
# Four sittings, the order swapped each time, so that neither observer always runs first.
orders = ["none,counting", "counting,none"] * (SITTINGS // 2) + ["none,counting"] * (SITTINGS % 2)
sittings = [bench(f"observer-{index + 1}", ["--in-flight", observer_levels, "--observer", order])
            for index, order in enumerate(orders)]


def number(value, digits=0):
    return "–" if value is None else f"{value:,.{digits}f}"


def ratio(a, b):
    return a / b if a is not None and b else None


def median(values):
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


lines = ["## 4. Connection pool: gRPC over h2c with 1, 2 and 4 connections", "",
         f"Post (1 annotation), {number(SECONDS, 1)} s per run after {number(WARMUP, 1)} s of warm-up. "
         "h2load -c N -m (in flight ÷ N) against the C++ gRPC echo server of section 2 is the floor: the same total "
         "streams in flight over N connections. Ours: `annotations bench --transport grpc --max-connections N` "
         "(release build; streams per connection target ceil(in flight ÷ N), so the pool spreads the calls as h2load "
         "does), against the same server and against the emulator (its own process). conns: connections our client "
         "opened (`.opened` connection events).", "",
         "| in flight | connections | h2load calls/s | h2load p99 µs | ours calls/s (C++ server) | p99 µs | CPU µs/call | "
         "conns | ours ÷ h2load | ours calls/s (emulator) | p99 µs | conns |",
         "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
rows = []
for level in LEVELS:
    for n in POOLS:
        h = floor.get((level, n)) or {}
        cpp = run_of(against_cpp, level, n) or {}
        emu = run_of(against_emulator, level, n) or {}
        r = ratio(cpp.get("calls_per_second"), h.get("calls_per_s"))
        rows.append({"in_flight": level, "connections": n, "h2load": h or None,
                     "ours_cpp": {k: cpp.get(k) for k in ("calls_per_second", "connections_opened", "streams_per_connection",
                                                          "cpu_us_per_call")}
                     | {"p99_us": cpp.get("latency_us", {}).get("p99")},
                     "ours_emulator": {k: emu.get(k) for k in ("calls_per_second", "connections_opened")}
                     | {"p99_us": emu.get("latency_us", {}).get("p99")},
                     "ours_over_h2load": r})
        lines.append(f"| {level} | {n} | {number(h.get('calls_per_s'))} | {number(h.get('p99_us'))} | "
                     f"{number(cpp.get('calls_per_second'))} | {number(cpp.get('latency_us', {}).get('p99'))} | "
                     f"{number(cpp.get('cpu_us_per_call'))} | {cpp.get('connections_opened', '–')} | {number(r, 2)}× | {number(emu.get('calls_per_second'))} | "
                     f"{number(emu.get('latency_us', {}).get('p99'))} | {emu.get('connections_opened', '–')} |")
lines.append("")
for n in POOLS:
    r = next((row["ours_over_h2load"] for row in rows if row["in_flight"] == 256 and row["connections"] == n), None)
    if r is not None:
        lines.append(f"- 256 in flight, {n} connection{'s' if n > 1 else ''}: ours {r:.2f}× `h2load -c {n}` "
                     f"(target ≥ 0.9×: {'met' if r >= 0.9 else '**NOT met**'}).")
opened = run_of(against_cpp, 256, 4)
if opened:
    lines.append(f"- With `--max-connections 4` at 256 in flight the client opened {opened.get('connections_opened')} "
                 "connections to the C++ server.")
one, four = run_of(against_cpp, 256, 1), run_of(against_cpp, 256, 4)
if one and four:
    lines.append(f"- Our client's CPU per call at 256 in flight against the C++ server: {one['cpu_us_per_call']:.0f} µs "
                 f"with 1 connection, {four['cpu_us_per_call']:.0f} µs with 4 (each connection has its own I/O thread; "
                 "client and server share the 2 cores).")
if stats:
    lines.append(f"- C++ server: {stats['calls']:,} calls served in all, {stats['cpu_s']:.1f} s CPU.")

lines += ["", "## 5. Observer overhead: none against a counting observer", "",
          "Post (1 annotation), gRPC over h2c against the emulator: `annotations bench --observer none,counting` "
          "(no `ClientObserver`, and one whose `observe` only increments an atomic counter), back to back, in "
          f"{len(sittings)} sittings with the order swapped each time; medians over the sittings. CPU: the client "
          "process's user + system time per call.", "",
          "| in flight | observer | calls/s | p50 µs | p99 µs | CPU µs/call | events/call |",
          "|---:|---|---:|---:|---:|---:|---:|"]
overhead = []
for level in OBSERVER_LEVELS:
    for observer in ("none", "counting"):
        runs = [r for r in (run_of(runs, level, observer=observer) for runs in sittings) if r]
        if not runs:
            continue
        events = median(r["observed_events"] / r["calls"] for r in runs if r.get("observed_events") is not None and r["calls"])
        lines.append(f"| {level} | {observer} | {number(median(r['calls_per_second'] for r in runs))} | "
                     f"{number(median(r['latency_us']['p50'] for r in runs))} | "
                     f"{number(median(r['latency_us']['p99'] for r in runs))} | "
                     f"{number(median(r['cpu_us_per_call'] for r in runs))} | "
                     f"{number(events, 1) if events is not None else '–'} |")
lines.append("")
for level in OBSERVER_LEVELS:
    pairs = [(run_of(runs, level, observer="counting"), run_of(runs, level)) for runs in sittings]
    pairs = [(c, n) for c, n in pairs if c and n and c["calls"] and n["calls"]]
    if not pairs:
        continue
    def summary(f):
        ratios = sorted(ratio(f(c), f(n)) for c, n in pairs)
        return {"median": median(ratios), "min": ratios[0], "max": ratios[-1]}
    entry = {"in_flight": level, "sittings": len(pairs),
             "calls_per_second": summary(lambda r: r["calls_per_second"]),
             "p50": summary(lambda r: r["latency_us"]["p50"]), "p99": summary(lambda r: r["latency_us"]["p99"]),
             "cpu_per_call": summary(lambda r: r["cpu_us_per_call"])}
    overhead.append(entry)
    text = lambda key: f"{entry[key]['median']:.2f}× ({entry[key]['min']:.2f}–{entry[key]['max']:.2f})"
    lines.append(f"- {level} in flight, counting ÷ none, median (range) of {len(pairs)} sittings: calls/s "
                 f"{text('calls_per_second')}, p50 {text('p50')}, p99 {text('p99')}, CPU/call {text('cpu_per_call')}.")
lines.append("- With no observer set a call costs one nil check of `ClientConfiguration.observer` and builds no "
             "event; the counting rows measure what observing itself costs (3 events per call here: call started, "
             "attempt started, call finished).")
for problem in problems:
    lines.append(f"- Problem: {problem}")

markdown = "\n".join(lines) + "\n"
print(markdown)
out = os.environ.get("BENCH_POOL_OUT")
if out:
    with open(out, "w") as fh:
        fh.write(markdown)
print("#json " + json.dumps({"pool": rows, "observer_overhead": overhead, "problems": problems}))
sys.exit(1 if problems else 0)
PYTHON
