#!/usr/bin/env bash
# The codec benchmark (`make bench`): ProtoWire against swift-protobuf 1.39 and C++ protobuf
# (Debian's libprotobuf 3.21) on the reference payload, in one run, one combined table.
#
#   scripts/bench_codec.sh [--out FILE.md]
#
# 1. scripts/make_reference_payload.py builds the payload with the official Python classes
# 2. scripts/bench_cpp.sh builds and runs the C++ peer (protoc --cpp_out on protos/)
# 3. `swift build -c release` of the Benchmarks/ package, then CodecBench on the payload
# 4. prints one Markdown table (also written to --out FILE.md) plus the ratios to targets
#
# Environment: BENCH_SECONDS (time per run, default 1.0), BENCH_RUNS (runs, median taken,
# default 5), BENCH_HOLD_LOCK=1 (hold /tmp/swift-build.lock while measuring too, so that
# other Swift builds on the machine wait). Intermediate files: Benchmarks/.build-bench/.
# If the Benchmarks package does not build with ProtoWire, it is rebuilt without it
# (BENCH_WITHOUT_PROTOWIRE=1), the ProtoWire rows say so, and the script exits 1; it also
# exits 1 (after the table) when one of CodecBench's correctness checks failed (ProtoWire
# re-encodes the payload byte-identically, its JSON round-trips and swift-protobuf agrees).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$ROOT/Benchmarks/.build-bench"
OUT_MD=""
while [ $# -gt 0 ]; do
    case "$1" in
        --out) OUT_MD="$2"; shift 2 ;;
        *) echo "usage: $0 [--out FILE.md]" >&2; exit 2 ;;
    esac
done
mkdir -p "$WORK"
log() { echo "bench_codec: $*" >&2; }

# Serialise Swift builds with other work on this machine when flock is there.
LOCK=/tmp/swift-build.lock
locked() { if command -v flock >/dev/null; then flock "$LOCK" "$@"; else "$@"; fi; }
measure() { if [ "${BENCH_HOLD_LOCK:-0}" = 1 ]; then locked "$@"; else "$@"; fi; }

# --- 1. payload ----------------------------------------------------------------------
if ! python3 -c 'import clarifai_grpc' 2>/dev/null; then
    log "installing clarifai-grpc (the official Python classes)"
    python3 -m pip install -q clarifai-grpc >&2
fi
PAYLOAD="$WORK/payload.bin"
python3 "$ROOT/scripts/make_reference_payload.py" "$PAYLOAD"

# --- 2. Swift build (first, so that C++ and Swift are measured back to back) -----------
PROTOWIRE_NOTE=""
swift_build() {
    locked swift build -c release --package-path "$ROOT/Benchmarks" \
        --scratch-path "$ROOT/Benchmarks/.build" --product CodecBench
}
log "building Benchmarks/ (swift build -c release)"
if ! swift_build >"$WORK/swift-build.log" 2>&1; then
    tail -40 "$WORK/swift-build.log" >&2
    log "Benchmarks/ does not build with ProtoWire; building the peers alone"
    PROTOWIRE_NOTE="ProtoWire did not build (see $WORK/swift-build.log); its rows are empty."
    if ! BENCH_WITHOUT_PROTOWIRE=1 swift_build >"$WORK/swift-build-peers.log" 2>&1; then
        tail -40 "$WORK/swift-build-peers.log" >&2
        log "Benchmarks/ does not build even without ProtoWire"; exit 1
    fi
fi
CODECBENCH="$ROOT/Benchmarks/.build/release/CodecBench"

# --- 3. C++ ----------------------------------------------------------------------------
log "building the C++ peer"
CPP_BIN="$("$ROOT/scripts/bench_cpp.sh")"
log "running C++ protobuf"
measure "$CPP_BIN" "$PAYLOAD" | tee "$WORK/cpp.txt" >&2

# --- 4. Swift --------------------------------------------------------------------------
log "running CodecBench (ProtoWire, swift-protobuf)"
set +e
measure "$CODECBENCH" "$PAYLOAD" >"$WORK/swift.txt"
SWIFT_STATUS=$?
set -e
[ "$SWIFT_STATUS" -eq 0 ] || [ "$SWIFT_STATUS" -eq 3 ] || { cat "$WORK/swift.txt" >&2; exit 1; }

# --- 5. combined table -----------------------------------------------------------------
python3 - "$WORK/cpp.txt" "$WORK/swift.txt" "$PROTOWIRE_NOTE" "${OUT_MD}" <<'PY'
import json, os, platform, subprocess, sys

cpp_txt, swift_txt, pw_note, out_md = sys.argv[1:5]
def load(path):
    for line in open(path):
        if line.startswith("#json "):
            return json.loads(line[6:])
    sys.exit(f"no #json line in {path}")
cpp, sw = load(cpp_txt), load(swift_txt)
size = sw["payload_bytes"]

def cell(r, key, fmt):
    return fmt(r[key]) if r else "–"
ns = lambda v: f"{v:,.0f}"
mb = lambda v: f"{v:,.1f}"
al = lambda v: f"{v:,.0f}" if v >= 100 else f"{v:,.1f}"

rows = []   # (name, decode result, encode result)
s = sw["results"]
rows.append(("ProtoWire", s.get("ProtoWire", {}).get("decode"), s.get("ProtoWire", {}).get("encode")))
rows.append(("swift-protobuf 1.39", s["swift-protobuf"]["decode"], s["swift-protobuf"]["encode"]))
c = cpp["results"]
rows.append(("C++ protobuf 3.21, plain", c["decode/plain"], c["encode/string"]))
rows.append(("C++ protobuf 3.21, arena", c["decode/arena"], None))
rows.append(("ProtoWire JSON", s.get("ProtoWire JSON", {}).get("decode"), s.get("ProtoWire JSON", {}).get("encode")))
rows.append(("swift-protobuf 1.39 JSON", s["swift-protobuf JSON"]["decode"], s["swift-protobuf JSON"]["encode"]))

out = []
out.append(f"Reference payload: MultiAnnotationResponse, 128 annotations, {size:,} bytes "
           f"(scripts/make_reference_payload.py). Median of {os.environ.get('BENCH_RUNS', '5')} runs "
           f"of ~{os.environ.get('BENCH_SECONDS', '1.0')} s each; MB/s = 10^6 bytes/s of the encoded form processed.")
out.append("")
out.append("| implementation | decode ns/op | decode MB/s | encode ns/op | encode MB/s | allocs/op (decode) | allocs/op (encode) |")
out.append("|---|---:|---:|---:|---:|---:|---:|")
for name, d, e in rows:
    out.append(f"| {name} | {cell(d,'ns_per_op',ns)} | {cell(d,'mb_per_s',mb)} | {cell(e,'ns_per_op',ns)} | "
               f"{cell(e,'mb_per_s',mb)} | {cell(d,'allocs_per_op',al)} | {cell(e,'allocs_per_op',al)} |")
out.append("")
buf = c["encode/buffer"]
notes = [
    "C++ decode: plain = a fresh message per op; arena = one `Arena` reused and `Reset()` after each op "
    "(default options). C++ encode = `SerializeToString` into a fresh `std::string` (one allocation, "
    f"like Swift's `[UInt8]` result); into a preallocated buffer (`SerializeToArray`) it takes "
    f"{buf['ns_per_op']:,.0f} ns/op ({buf['mb_per_s']:,.1f} MB/s, 0 allocs).",
    "JSON rows: each implementation encodes the message to REST-shaped JSON (.proto field names, enums as "
    "numbers) and decodes its own text; MB/s over that text ("
    + ", ".join(f"{k}: {s[k]['encode']['bytes']:,} bytes" for k in ("ProtoWire JSON", "swift-protobuf JSON") if k in s) + ").",
    "Allocations: malloc/calloc/realloc/aligned calls counted by interposing them in each benchmark binary "
    "(Benchmarks/Sources/MallocCounter), in a separate untimed pass of 16 ops.",
]
if pw_note:
    notes.append(pw_note)
for chk in sw.get("checks", []):
    notes.append("CHECK FAILED: " + chk)

def ratio(a, b):  # how many times faster a is than b (by time)
    return b["ns_per_op"] / a["ns_per_op"]
verdict = lambda ok: "met" if ok else "NOT met"
if "decode" in s.get("ProtoWire", {}) and "encode" in s.get("ProtoWire", {}):
    pw = s["ProtoWire"]; spb = s["swift-protobuf"]
    rd, re_ = ratio(pw["decode"], spb["decode"]), ratio(pw["encode"], spb["encode"])
    out.append(f"- ProtoWire vs swift-protobuf throughput (target ≥ ×3 each): decode ×{rd:.2f} ({verdict(rd >= 3)}), "
               f"encode ×{re_:.2f} ({verdict(re_ >= 3)}).")
    ra = ratio(pw["decode"], c["decode/arena"])
    out.append(f"- ProtoWire decode vs C++ arena decode: ×{ra:.2f} the throughput (target ≥ ×1: {verdict(ra >= 1)}); "
               f"vs C++ plain: ×{ratio(pw['decode'], c['decode/plain']):.2f}.")
    rc = pw["encode"]["ns_per_op"] / c["encode/string"]["ns_per_op"]
    out.append(f"- ProtoWire encode time / C++ `SerializeToString`: {rc:.2f} (target ≤ 1.5: {verdict(rc <= 1.5)}); "
               f"/ C++ into a preallocated buffer: {pw['encode']['ns_per_op'] / buf['ns_per_op']:.2f}.")
if "ProtoWire JSON" in s:
    pj = s["ProtoWire JSON"]; sj = s["swift-protobuf JSON"]
    parts = [f"{op} ×{ratio(pj[op], sj[op]):.2f}" for op in ("decode", "encode") if op in pj]
    out.append(f"- ProtoWire JSON vs swift-protobuf JSON: {', '.join(parts)} the throughput.")
out.append("")
out += ["- " + n for n in notes]
try:
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
except OSError:
    cpu = "?"
out.append(f"- Machine: {cpu}, {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores, "
           f"{platform.system()} {platform.release()}.")
text = "\n".join(out)
print(text)
if out_md:
    open(out_md, "w").write(text + "\n")
PY

# Non-zero when ProtoWire was not measured or one of CodecBench's correctness checks failed.
if [ -n "$PROTOWIRE_NOTE" ] || [ "$SWIFT_STATUS" -ne 0 ]; then exit 1; fi
