#!/usr/bin/env python3
"""Writes BENCHMARKS.md from the outputs of scripts/bench_all.sh (`make bench`).

  bench_report.py --work DIR --plots REL_DIR --out BENCHMARKS.md

Reads DIR/codec.md, DIR/transport.md and DIR/transport.txt (its `#json` line), and the
`annotations bench --json` files DIR/post-h2c.json, DIR/list128-h2c.json, DIR/post-tls.json;
the plots are REL_DIR/<name>.svg (relative to the repository, as the Markdown links them).
Prints the issue 6 target lines too. Exit status 1 when an input is missing.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read(path: str) -> str | None:
    try:
        with open(path) as handle:
            return handle.read()
    except OSError:
        return None


def transport_json(work: str) -> dict:
    for line in (read(os.path.join(work, "transport.txt")) or "").splitlines():
        if line.startswith("#json "):
            return json.loads(line[6:])
    return {}


def machine() -> str:
    cpu = "?"
    for line in (read("/proc/cpuinfo") or "").splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = "?"
    for line in (read("/proc/meminfo") or "").splitlines():
        if line.startswith("MemTotal"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()
    swift_line = next((l for l in swift if "Swift version" in l), "?")
    return f"{cpu}, {os.cpu_count()} cores, {memory}; {platform.system()} {platform.release()}; {swift_line.strip()}"


def commit() -> str:
    rev = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return rev + (" (with uncommitted changes)" if dirty else "")


def grouped(value: float) -> str:
    return f"{value:,.0f}"


def e2e_table(report: dict) -> list[str]:
    lines = ["| wire | in flight | calls | calls/s | p50 µs | p90 µs | p99 µs | p99.9 µs | bytes/call out + in | client CPU µs/call |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for run in report["runs"]:
        latency = run["latency_us"]
        sent, received = run.get("bytes_sent_per_call"), run.get("bytes_received_per_call")
        bytes_cell = f"{sent:,.0f} + {received:,.0f}" if sent is not None else "n/a"
        lines.append(f"| {run['transport']} | {run['in_flight']} | {run['calls']:,} | {grouped(run['calls_per_second'])} | "
                     f"{grouped(latency['p50'])} | {grouped(latency['p90'])} | {grouped(latency['p99'])} | "
                     f"{grouped(latency['p99.9'])} | {bytes_cell} | {grouped(run['cpu_us_per_call'])} |")
        if run["errors"]:
            lines.append(f"| ↳ {run['errors']} failed calls: {run.get('first_error', '')[:120]} |||||||||")
    lines.append("")
    ratios = report.get("ratios_to_grpc", [])
    if ratios:
        lines.append("Ratios to gRPC at the same concurrency: " + "; ".join(
            f"{r['transport']} ×{r['in_flight']}: calls/s {r['calls_per_second']:.2f}×, p50 {r['p50']:.2f}×, "
            f"CPU/call {r['cpu_per_call']:.2f}×" for r in ratios) + ".")
        lines.append("")
    return lines


def run_of(report: dict | None, transport: str, in_flight: int) -> dict | None:
    if not report:
        return None
    return next((r for r in report["runs"] if r["transport"] == transport and r["in_flight"] == in_flight), None)


def verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", required=True)
    parser.add_argument("--plots", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    e2e = {}
    for name in ("post-h2c", "list128-h2c", "post-tls"):
        text = read(os.path.join(args.work, f"{name}.json"))
        e2e[name] = json.loads(text) if text else None
    transport = transport_json(args.work)

    # Issue 6 targets.
    targets = []
    by = {(r["client"], r["transport"]): r for r in transport.get("results", [])}

    def p50(client):
        return (((by.get((client, "tls")) or {}).get("phases") or {}).get("lat_post") or {}).get("latency_us", {}).get("p50")

    ours, gs, gio = p50("ours"), p50("grpc-swift-2"), p50("grpcio")
    if ours and gs and gio:
        targets.append(f"- Post (1 annotation) p50 over loopback TLS, our gRPC client: {ours:,.0f} µs = "
                       f"**{ours / gs:.2f}× grpc-swift-2** ({gs:,.0f} µs; target ≤ 0.8×: {verdict(ours / gs <= 0.8)}) and "
                       f"**{ours / gio:.2f}× Python grpcio** ({gio:,.0f} µs; target ≤ 1×: {verdict(ours <= gio)}).")
    else:
        targets.append("- Post p50 over TLS against grpc-swift-2 and grpcio: not measured (see the transport section).")
    lists = e2e["list128-h2c"]
    if lists:
        levels = sorted({r["in_flight"] for r in lists["runs"]})
        for level in levels:
            grpc, h2, h1, url = (run_of(lists, t, level) for t in ("grpc", "rest-h2", "rest-h1", "urlsession"))
            if not (grpc and h2 and h1 and url):
                continue
            best_rest = max(h2["calls_per_second"], h1["calls_per_second"])
            worst_rest = min(h2["calls_per_second"], h1["calls_per_second"])
            g = grpc["calls_per_second"]
            u = url["calls_per_second"]
            targets.append(
                f"- List (per_page 128), {level} in flight: gRPC {grouped(g)} calls/s = **{g / best_rest:.2f}×** our best REST "
                f"wire and {g / worst_rest:.2f}× the other (target ≥ 2×: {verdict(g / best_rest >= 2)}); our REST "
                f"{grouped(h2['calls_per_second'])} (h2) / {grouped(h1['calls_per_second'])} (h1) calls/s = "
                f"**{h2['calls_per_second'] / u:.2f}× / {h1['calls_per_second'] / u:.2f}× URLSession** ({grouped(u)}; "
                f"target ≥ 2×: {verdict(worst_rest / u >= 2)}).")

    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Benchmarks",
        "",
        f"Measured by `make bench` (scripts/bench_all.sh) on {now}, commit {commit()}.",
        f"Machine: {machine()}. Client and server share the machine; compare numbers within this file only.",
        "",
        "## Targets of issue 6",
        "",
        *targets,
        "",
        "## 1. Codec: the reference payload (MultiAnnotationResponse, 128 annotations)",
        "",
        (read(os.path.join(args.work, "codec.md")) or "_not measured_").strip(),
        "",
        "## 2. gRPC unary calls against a C++ gRPC server (Debian libgrpc++), loopback",
        "",
        (read(os.path.join(args.work, "transport.md")) or "_not measured_").strip(),
        "",
        "## 3. gRPC against REST, end to end (`annotations bench`, the emulator in its own process)",
        "",
        "The same typed calls through `AnnotationsClient` over gRPC, REST JSON over our HTTP/2 connection "
        "(rest-h2) and over HTTP/1.1 keep-alive (rest-h1, one connection per caller), and URLSession "
        "(FoundationNetworking, JSONSerialization for the answer; one connection per caller allowed) as the "
        "REST peer a Swift user would reach for. Latency from an HDR histogram (1 µs–60 s, 3 digits); "
        "bytes are HTTP/2 frames or HTTP/1.1 messages before TLS; CPU is the client process's user + system "
        "time per call (the emulator runs in another process). Release builds.",
        "",
    ]
    titles = {
        "post-h2c": "Post, 1 annotation per call, plaintext (h2c / HTTP/1.1)",
        "list128-h2c": "List, per_page 128, plaintext (h2c / HTTP/1.1)",
        "post-tls": "Post, 1 annotation per call, TLS (URLSession left out: it cannot trust the emulator's generated CA here)",
    }
    for name, title in titles.items():
        lines += [f"### {title}", ""]
        if e2e[name]:
            lines += e2e_table(e2e[name])
            lines += [f"![latency CDF: {title}]({args.plots}/{name}.svg)", ""]
        else:
            lines += ["_not measured_", ""]
    lines += ["Reproduce: `make bench` (about 17 minutes on 2 cores, plus the first build of the peers); "
              "one table alone: e.g. `annotations bench --call list --per-page 128 --transport grpc,rest-h2,urlsession`.", ""]
    with open(args.out, "w") as handle:
        handle.write("\n".join(lines))
    print("\n".join(targets))
    missing = [name for name, report in e2e.items() if report is None] + ([] if transport else ["transport"])
    if missing:
        print(f"bench_report: missing results: {', '.join(missing)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
