#!/usr/bin/env python3
"""Run the transport benchmark's clients against the C++ gRPC echo server and print the table.

Called by scripts/bench_transport.sh (which builds everything first); by hand:

  bench_transport.py --server BIN --payload-dir DIR --certs DIR [--ours BIN] [--grpc-swift BIN]
                     [--clients h2load,ours,grpc-swift-2,grpcio] [--transports h2c,tls]
                     [--work DIR] [--out FILE.md]

For each transport (h2c, TLS) one server is started (`PORT <n>` on 127.0.0.1), then each
client runs the schedule of Benchmarks/Sources/BenchSupport/LoadRunner.swift against it:
Post latency with 1 in flight (p50/p90/p99), List(20) latency, Post calls/s with 1/16/64/256
in flight on one connection, the client's and the server's CPU time per call. h2load (raw
HTTP/2, pre-framed gRPC body, no gRPC parsing) is the floor.

Every client run holds /tmp/swift-build.lock (flock) while it measures, so that builds on the
machine wait; BENCH_HOLD_LOCK=0 turns that off. Knobs: BENCH_WARMUP (s, default 1),
BENCH_LATENCY_SECONDS (default 3), BENCH_SECONDS (per in-flight level, default 3),
BENCH_LEVELS (default 1,16,64,256), BENCH_SERVER_THREADS (server completion-queue threads,
default 2: one per core, which let h2load reach ~20-50 % more calls/s at 64 in flight than
one thread did here; latency at 1 in flight was within the noise either way).

Prints one Markdown table, the ratios to the targets of issue 3 (and of shared TARGETS.md),
notes, then a `#json {...}` line with every number. Exit status 1 when our client was not
measured or a client reported a failed check or failed calls.
"""
import argparse
import contextlib
import fcntl
import json
import os
import platform
import re
import select
import signal
import subprocess
import sys
import time

LOCK = "/tmp/swift-build.lock"
GRPC_HEADERS = ["content-type: application/grpc", "te: trailers", "authorization: Key bench-token"]


def log(msg):
    print(f"bench_transport: {msg}", file=sys.stderr, flush=True)


def env_float(name, default):
    return float(os.environ.get(name, default))


WARMUP = env_float("BENCH_WARMUP", 1.0)
LAT_SECONDS = env_float("BENCH_LATENCY_SECONDS", 3.0)
SECONDS = env_float("BENCH_SECONDS", 3.0)
LEVELS = [int(x) for x in os.environ.get("BENCH_LEVELS", "1,16,64,256").split(",") if x]
SERVER_THREADS = int(os.environ.get("BENCH_SERVER_THREADS", "2"))
HOLD_LOCK = os.environ.get("BENCH_HOLD_LOCK", "1") != "0"
CLK_TCK = os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def measuring_lock(what):
    if not HOLD_LOCK:
        yield
        return
    with open(LOCK, "a") as fh:
        t0 = time.monotonic()
        fcntl.flock(fh, fcntl.LOCK_EX)
        waited = time.monotonic() - t0
        if waited > 1:
            log(f"waited {waited:.0f} s for {LOCK}")
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def proc_cpu(pid):
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK
    except (OSError, IndexError, ValueError):
        return None


# --- server --------------------------------------------------------------------------------

class Server:
    def __init__(self, binary, payload_dir, tls, certs, work):
        cmd = [binary, payload_dir, "--threads", str(SERVER_THREADS), "--max-seconds", "1800"]
        if tls:
            cmd += ["--tls", os.path.join(certs, "server.pem"), os.path.join(certs, "server.key")]
        self.stderr = open(os.path.join(work, f"server-{'tls' if tls else 'h2c'}.log"), "w")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.stderr, text=True)
        self.port = None
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.2)
            if ready:
                line = self.proc.stdout.readline()
                m = re.match(r"PORT (\d+)", line)
                if m:
                    self.port = int(m.group(1))
                    break
                if not line:
                    break
        if self.port is None:
            self.stop()
            raise RuntimeError(f"the server did not print PORT (see {self.stderr.name})")
        self.pid = self.proc.pid

    def stop(self):
        stats = None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                out, _ = self.proc.communicate(timeout=5)
                m = re.search(r"STATS calls=(\d+) user_s=([\d.]+) sys_s=([\d.]+)", out or "")
                if m:
                    stats = {"calls": int(m.group(1)), "cpu_s": float(m.group(2)) + float(m.group(3))}
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.stderr.close()
        return stats


# --- clients -------------------------------------------------------------------------------

def common_args(port, tls, certs, payload_dir, server_pid):
    args = ["--port", str(port), "--payload-dir", payload_dir, "--server-pid", str(server_pid),
            "--warmup", str(WARMUP), "--latency-seconds", str(LAT_SECONDS), "--seconds", str(SECONDS),
            "--levels", ",".join(map(str, LEVELS))]
    if tls:
        args += ["--tls", "--ca", os.path.join(certs, "ca.pem"), "--server-name", "localhost"]
    return args


def run_json_client(name, cmd, work, transport):
    logfile = os.path.join(work, f"{name}-{transport}.log")
    budget = 60 + (WARMUP + 2 * LAT_SECONDS + len(LEVELS) * (WARMUP + SECONDS)) * 3
    with open(logfile, "w") as err, measuring_lock(name):
        log(f"{name} over {transport}: {' '.join(cmd)}")
        try:
            proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=err, text=True, timeout=budget)
        except subprocess.TimeoutExpired:
            return {"client": name, "transport": transport, "phases": {},
                    "checks": [f"timed out after {budget:.0f} s (log: {logfile})"]}
    for line in proc.stdout.splitlines():
        if line.startswith("#json "):
            result = json.loads(line[6:])
            result["client"] = name
            if proc.returncode != 0:
                result.setdefault("checks", []).append(f"exit status {proc.returncode} (log: {logfile})")
            return result
    with open(logfile) as fh:
        tail = fh.read()[-600:]
    return {"client": name, "transport": transport, "phases": {},
            "checks": [f"no #json line, exit status {proc.returncode}: {tail.strip()} (log: {logfile})"]}


def h2load_phase(port, tls, payload_dir, server_pid, path, body, in_flight, seconds, work, keep_latency):
    url = f"{'https' if tls else 'http'}://127.0.0.1:{port}{path}"
    logfile = os.path.join(work, "h2load-requests.log")
    ms = lambda s: f"{max(1, round(s * 1000))}ms"  # h2load takes integers with a unit
    cmd = ["h2load", "-c", "1", "-m", str(in_flight), "-D", ms(seconds), "--warm-up-time", ms(WARMUP),
           "-d", os.path.join(payload_dir, body)]
    for h in GRPC_HEADERS:
        cmd += ["-H", h]
    if keep_latency:
        cmd += ["--log-file", logfile]
    cmd.append(url)
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    time.sleep(WARMUP + 0.02)
    s0 = proc_cpu(server_pid)
    out = proc.stdout.read()
    _, status, ru = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.monotonic() - t0
    s1 = proc_cpu(server_pid)
    m_rate = re.search(r"finished in ([\d.]+)(m?s), ([\d.]+) req/s", out)
    m_req = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, "
                      r"(\d+) errored", out)
    m_status = re.search(r"status codes: (\d+) 2xx", out)
    if proc.returncode != 0 or not m_rate or not m_req:
        return {"in_flight": in_flight, "calls": 0, "errors": 1, "first_error": out[-400:]}
    rate = float(m_rate.group(3))
    done, ok = int(m_req.group(3)), int(m_req.group(4))
    errors = done - ok + int(m_req.group(5)) + int(m_req.group(6))
    if m_status and int(m_status.group(1)) != done:
        errors += done - int(m_status.group(1))
    cpu = ru.ru_utime + ru.ru_stime
    # h2load reports only the main duration's requests; its CPU covers warm-up + main:
    # calls over the process's life ~ rate x elapsed.
    total_calls = max(1.0, rate * (elapsed - 0.005))
    phase = {"in_flight": in_flight, "calls": done, "errors": errors, "wall_s": seconds,
             "calls_per_s": rate, "cpu_s": cpu, "cpu_us_per_call": cpu * 1e6 / total_calls}
    if s0 is not None and s1 is not None and done:
        phase["server_cpu_s"] = s1 - s0
        phase["server_cpu_us_per_call"] = (s1 - s0) * 1e6 / done
    if keep_latency:
        lat = []
        with open(logfile) as fh:
            for line in fh:
                parts = line.split("\t")
                if len(parts) >= 3:
                    lat.append(float(parts[2]))
        lat.sort()
        pct = lambda p: lat[max(0, min(len(lat) - 1, -(-len(lat) * p // 100) - 1))] if lat else 0
        phase["latency_us"] = {"p50": pct(50), "p90": pct(90), "p99": pct(99),
                               "min": lat[0] if lat else 0, "max": lat[-1] if lat else 0,
                               "mean": sum(lat) / len(lat) if lat else 0}
        os.unlink(logfile)
    if errors:
        phase["first_error"] = out[-400:]
    return phase


def run_h2load(port, tls, payload_dir, server_pid, work):
    transport = "tls" if tls else "h2c"
    phases = {}
    with measuring_lock("h2load"):
        log(f"h2load over {transport}")
        post, lst = "/clarifai.api.V2/PostAnnotations", "/clarifai.api.V2/ListAnnotations"
        phases["lat_post"] = h2load_phase(port, tls, payload_dir, server_pid, post, "post_request.grpc", 1,
                                          LAT_SECONDS, work, True)
        phases["lat_list"] = h2load_phase(port, tls, payload_dir, server_pid, lst, "list_request_20.grpc", 1,
                                          LAT_SECONDS, work, True)
        for level in LEVELS:
            phases[f"thr_{level}"] = h2load_phase(port, tls, payload_dir, server_pid, post, "post_request.grpc",
                                                  level, SECONDS, work, False)
    version = subprocess.run(["h2load", "--version"], capture_output=True, text=True).stdout.strip()
    return {"client": "h2load", "transport": transport, "phases": phases, "checks": [],
            "info": {"version": version}}


# --- report --------------------------------------------------------------------------------

CLIENT_LABELS = {
    "h2load": "h2load (floor: raw HTTP/2, no gRPC parsing)",
    "ours": "**ours** (H2Transport + ProtoWire)",
    "grpc-swift-2": "grpc-swift-2 2.4.3 + swift-protobuf",
    "grpcio": "Python grpcio + official stubs",
}


def get(result, phase, key, sub=None):
    p = (result or {}).get("phases", {}).get(phase)
    if not p or not p.get("calls"):
        return None
    v = p.get(key)
    if sub is not None:
        v = (v or {}).get(sub)
    return v


def fmt(v, digits=0):
    if v is None:
        return "–"
    return f"{v:,.{digits}f}"


def report(results, server_stats, out_md):
    by = {(r["client"], r["transport"]): r for r in results}
    transports = [t for t in ("h2c", "tls") if any(r["transport"] == t for r in results)]
    clients = [c for c in ("h2load", "ours", "grpc-swift-2", "grpcio") if any(r["client"] == c for r in results)]
    lv = LEVELS
    lines = []
    lines.append(f"Loopback, one connection per client, against the C++ gRPC 1.51 echo server "
                 f"(AsyncGenericService, {SERVER_THREADS} completion-queue thread(s), canned responses: Post 1 "
                 f"annotation, List 20). Latency: 1 call in flight for {LAT_SECONDS:g} s, every call timed. "
                 f"calls/s: Post with N calls in flight, {WARMUP:g} s warm-up then {SECONDS:g} s measured. "
                 f"CPU µs/call: the process's user+system CPU time over the measured window / calls.")
    lines.append("")
    head = (["client", "transport", "Post p50 µs", "Post p90 µs", "Post p99 µs", "List(20) p50 µs"]
            + [f"calls/s @{n}" for n in lv]
            + ["client CPU µs/call @1", "client CPU µs/call @64", "server CPU µs/call @64"])
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "---|" * 2 + "---:|" * (len(head) - 2))
    for t in transports:
        for c in clients:
            r = by.get((c, t))
            if r is None:
                continue
            row = [CLIENT_LABELS.get(c, c), "TLS" if t == "tls" else "h2c",
                   fmt(get(r, "lat_post", "latency_us", "p50")), fmt(get(r, "lat_post", "latency_us", "p90")),
                   fmt(get(r, "lat_post", "latency_us", "p99")), fmt(get(r, "lat_list", "latency_us", "p50"))]
            row += [fmt(get(r, f"thr_{n}", "calls_per_s")) for n in lv]
            row += [fmt(get(r, "thr_1", "cpu_us_per_call")), fmt(get(r, "thr_64", "cpu_us_per_call")),
                    fmt(get(r, "thr_64", "server_cpu_us_per_call"))]
            lines.append("| " + " | ".join(row) + " |")
    lines.append("")

    verdict = lambda ok: "met" if ok else "**NOT met**"
    ratios = {}
    for t in transports:
        ours, gs, h2 = by.get(("ours", t)), by.get(("grpc-swift-2", t)), by.get(("h2load", t))
        label = "TLS" if t == "tls" else "h2c"
        o_p50, g_p50 = get(ours, "lat_post", "latency_us", "p50"), get(gs, "lat_post", "latency_us", "p50")
        o_64, g_64 = get(ours, "thr_64", "calls_per_s"), get(gs, "thr_64", "calls_per_s")
        if not (o_p50 and g_p50 and o_64 and g_64):
            lines.append(f"- {label}: ratios unavailable (ours or grpc-swift-2 not measured).")
            continue
        r_p50, r_64 = o_p50 / g_p50, o_64 / g_64
        r = ratios.setdefault(t, {})
        r.update({"post_p50_ours_over_grpc_swift": r_p50, "calls_64_ours_over_grpc_swift": r_64,
                  "issue3_p50_met": r_p50 <= 0.8, "issue3_calls64_met": r_64 >= 1.5})
        lines.append(f"- {label}, issue 3 targets: Post p50 ours/grpc-swift-2 = **{r_p50:.2f}×** "
                     f"(target ≤ 0.8×: {verdict(r_p50 <= 0.8)}); calls/s @64 ours/grpc-swift-2 = "
                     f"**{r_64:.2f}×** (target ≥ 1.5×: {verdict(r_64 >= 1.5)}).")
        extra = []
        o_l, g_l = get(ours, "lat_list", "latency_us", "p50"), get(gs, "lat_list", "latency_us", "p50")
        if o_l and g_l:
            r["list_p50_ours_over_grpc_swift"] = o_l / g_l
            extra.append(f"List(20) p50 {o_l / g_l:.2f}× grpc-swift-2 (≤ 0.3×: {verdict(o_l / g_l <= 0.3)})")
        extra.append(f"calls/s @64 {r_64:.2f}× grpc-swift-2 (≥ 3×: {verdict(r_64 >= 3)})")
        h_p50, h_64 = get(h2, "lat_post", "latency_us", "p50"), get(h2, "thr_64", "calls_per_s")
        if h_p50:
            r["post_p50_ours_over_h2load"] = o_p50 / h_p50
            extra.append(f"Post p50 {o_p50 / h_p50:.2f}× h2load (≤ 1.3×: {verdict(o_p50 / h_p50 <= 1.3)})")
        if h_64:
            r["calls_64_ours_over_h2load"] = o_64 / h_64
            extra.append(f"calls/s @64 {o_64 / h_64:.2f}× h2load (≥ 0.6×: {verdict(o_64 / h_64 >= 0.6)})")
        o_cpu, g_cpu = get(ours, "thr_64", "cpu_us_per_call"), get(gs, "thr_64", "cpu_us_per_call")
        if o_cpu and g_cpu:
            r["cpu_64_ours_over_grpc_swift"] = o_cpu / g_cpu
            extra.append(f"client CPU/call @64 {o_cpu / g_cpu:.2f}× grpc-swift-2 (≤ 0.25×: {verdict(o_cpu / g_cpu <= 0.25)})")
        lines.append(f"- {label}, stretch targets (shared TARGETS.md): " + "; ".join(extra) + ".")
    lines.append("")

    notes = []
    for r in results:
        for chk in r.get("checks", []):
            notes.append(f"CHECK FAILED ({r['client']}, {r['transport']}): {chk}")
        for name, p in sorted(r.get("phases", {}).items()):
            if p.get("errors"):
                notes.append(f"{r['client']} {r['transport']} {name}: {p['errors']} failed calls, first: "
                             f"{' '.join(str(p.get('first_error', '')).split())[:200]}")
    notes.append("h2load: `h2load -c 1 -m N -D s --warm-up-time s -d <5-byte-prefixed PostAnnotationsRequest> "
                 "-H 'content-type: application/grpc' -H 'te: trailers'`, latency percentiles from its "
                 "`--log-file`; its CPU/call is its whole-process rusage / (req/s × run time), warm-up included.")
    gi = next((r.get("info", {}) for r in results if r["client"] == "grpcio"), {})
    if gi:
        notes.append(f"grpcio {gi.get('grpcio', '?')} (api={gi.get('api', '?')}): blocking stub for the latency "
                     f"phases and @1, grpc.aio coroutines for @16 and up (the fastest of grpcio's APIs for each).")
    notes.append("grpc-swift-2: `HTTP2ClientTransport.Posix` (.http2NIOPosix, default config, NIO singleton "
                 "event-loop group), `client.unary(request:descriptor:serializer:deserializer:options:)` with "
                 "grpc-swift-protobuf's ProtobufSerializer/Deserializer over swift-protobuf 1.39 types.")
    notes.append("Every client sends the same PostAnnotationsRequest (92 bytes) / ListAnnotationsRequest "
                 "(per_page 20), checked byte-equal to the official Python encoding, plus "
                 "`authorization: Key …`, and decodes each response (Post: 245 B, 1 annotation; List: 4,687 B, "
                 "20 annotations); TLS verifies the server certificate against the test CA with hostname "
                 "`localhost` (h2load does not verify).")
    for t, st in server_stats.items():
        if st:
            notes.append(f"Server ({t}): {st['calls']:,} calls served in all, {st['cpu_s']:.1f} s CPU "
                         f"({st['cpu_s'] * 1e6 / max(1, st['calls']):.0f} µs/call over the whole run).")
    try:
        cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    except OSError:
        cpu = "?"
    notes.append(f"Machine: {cpu}, {os.cpu_count()} cores (client and server share them), "
                 f"{platform.system()} {platform.release()}.")
    lines += ["- " + n for n in notes]
    text = "\n".join(lines)
    print(text)
    if out_md:
        with open(out_md, "w") as fh:
            fh.write(text + "\n")
    summary = {"bench": "transport", "results": results, "ratios": ratios, "server": server_stats,
               "settings": {"warmup_s": WARMUP, "latency_s": LAT_SECONDS, "seconds": SECONDS, "levels": LEVELS,
                            "server_threads": SERVER_THREADS}}
    print("#json " + json.dumps(summary, sort_keys=True))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--server", required=True)
    ap.add_argument("--payload-dir", required=True)
    ap.add_argument("--certs", required=True)
    ap.add_argument("--ours")
    ap.add_argument("--grpc-swift")
    ap.add_argument("--grpcio-client", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                            "bench_grpcio_client.py"))
    ap.add_argument("--clients", default="h2load,ours,grpc-swift-2,grpcio")
    ap.add_argument("--transports", default="h2c,tls")
    ap.add_argument("--work", default="/tmp/bench_transport")
    ap.add_argument("--out")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    clients = args.clients.split(",")
    results, server_stats = [], {}
    for transport in args.transports.split(","):
        tls = transport == "tls"
        server = Server(args.server, args.payload_dir, tls, args.certs, args.work)
        log(f"server ({transport}) on port {server.port}, pid {server.pid}")
        try:
            common = common_args(server.port, tls, args.certs, args.payload_dir, server.pid)
            for client in clients:
                if client == "h2load":
                    results.append(run_h2load(server.port, tls, args.payload_dir, server.pid, args.work))
                elif client == "ours":
                    if args.ours:
                        results.append(run_json_client("ours", [args.ours] + common, args.work, transport))
                    else:
                        results.append({"client": "ours", "transport": transport, "phases": {},
                                        "checks": ["TransportBench was not built"]})
                elif client == "grpc-swift-2" and args.grpc_swift:
                    results.append(run_json_client("grpc-swift-2", [args.grpc_swift] + common, args.work, transport))
                elif client == "grpcio":
                    results.append(run_json_client("grpcio", [sys.executable, args.grpcio_client] + common,
                                                   args.work, transport))
        finally:
            server_stats[transport] = server.stop()
    report(results, server_stats, args.out)
    failed = any(r.get("checks") for r in results) or any(
        p.get("errors") for r in results for p in r.get("phases", {}).values())
    ours_ok = any(r["client"] == "ours" and r.get("phases") for r in results)
    return 0 if ours_ok and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
