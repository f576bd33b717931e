#!/usr/bin/env python3
"""The Python grpcio peer of the transport benchmark (run by scripts/bench_transport.sh).

Python grpcio with the official clarifai-grpc stubs (service_pb2_grpc.V2Stub) and classes
(service_pb2), on one channel (= one HTTP/2 connection), running the schedule of
Benchmarks/Sources/BenchSupport/LoadRunner.swift and printing the same `#json {...}` line:

  warmup     Post and List, 1 in flight, --warmup s (default 1)
  lat_post   Post, 1 in flight, --latency-seconds (default 3): p50/p90/p99 of every call
  lat_list   List(per_page 20), the same
  thr_<n>    Post with n calls in flight, --warmup s unmeasured then --seconds (default 3)
             measured: calls/s and this process's CPU (getrusage) per call

--api picks how calls are made (default `best`):
  sync   latency phases with the blocking stub (`stub.PostAnnotations(req)`), throughput with
         the stub's futures (`stub.PostAnnotations.future(req)`), each completion's callback
         starting the next call
  aio    grpc.aio: n coroutines each awaiting `stub.PostAnnotations(req)` in a loop
  best   what was fastest here for each phase: the blocking stub for the latency phases and
         thr_1 (a plain loop: about 2x the calls/s of a future or aio at 1 in flight), grpc.aio
         for thr_16 and up (about 10 % more calls/s than futures); grpcio then opens two
         connections one after the other (blocking, then aio), each phase on one of them

usage: bench_grpcio_client.py --port N [--tls --ca ca.pem] [--server-name localhost]
          --payload-dir DIR [--server-pid PID] [--api sync|aio] [--warmup S]
          [--latency-seconds S] [--seconds S] [--levels 1,16,64,256] [--only PHASES]
"""
import argparse
import json
import os
import resource
import sys
import threading
import time

import grpc
from clarifai_grpc.channel import clarifai_channel

# service_pb2_grpc.V2Stub reads this module global, which ClarifaiChannel.get_*_channel()
# sets; we make our own channel (no retry service config), so set it the same way.
clarifai_channel.wrap_response_deserializer = clarifai_channel._response_deserializer_for_grpc
from clarifai_grpc.grpc.api import service_pb2, service_pb2_grpc  # noqa: E402

METADATA = (("authorization", "Key bench-token"),)
CLK_TCK = os.sysconf("SC_CLK_TCK")


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def cpu_self():
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def cpu_other(pid):
    if not pid:
        return None
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK
    except (OSError, IndexError, ValueError):
        return None


def percentile(sorted_values, p):
    if not sorted_values:
        return 0.0
    rank = max(0, min(len(sorted_values) - 1, -(-len(sorted_values) * p // 100) - 1))
    return sorted_values[int(rank)]


def phase_json(in_flight, calls, errors, wall, cpu, server_cpu, latencies=None, first_error=None):
    d = {"in_flight": in_flight, "calls": calls, "errors": errors, "wall_s": wall, "cpu_s": cpu,
         "calls_per_s": calls / wall if wall > 0 else 0,
         "cpu_us_per_call": cpu * 1e6 / calls if calls else 0}
    if server_cpu is not None:
        d["server_cpu_s"] = server_cpu
        d["server_cpu_us_per_call"] = server_cpu * 1e6 / calls if calls else 0
    if latencies is not None:
        latencies.sort()
        d["latency_us"] = {"p50": percentile(latencies, 50), "p90": percentile(latencies, 90),
                           "p99": percentile(latencies, 99),
                           "min": latencies[0] if latencies else 0, "max": latencies[-1] if latencies else 0,
                           "mean": sum(latencies) / len(latencies) if latencies else 0}
    if first_error:
        d["first_error"] = first_error
    return d


def requests(payload_dir):
    post = service_pb2.PostAnnotationsRequest()
    post.user_app_id.user_id, post.user_app_id.app_id = "me", "bench-app"
    a = post.annotations.add()
    a.input_id = "bench-input-0001"
    region = a.data.regions.add()
    box = region.region_info.bounding_box
    box.top_row, box.left_col, box.bottom_row, box.right_col = 0.125, 0.25, 0.625, 0.75
    c = region.data.concepts.add()
    c.id, c.name, c.value = "ai_8S2Vq3cR", "dog", 1.0
    lst = service_pb2.ListAnnotationsRequest(page=1, per_page=20)
    lst.user_app_id.user_id, lst.user_app_id.app_id = "me", "bench-app"
    checks = []
    for name, msg in (("post_request.bin", post), ("list_request_20.bin", lst)):
        with open(os.path.join(payload_dir, name), "rb") as fh:
            if msg.SerializeToString() != fh.read():
                checks.append(f"Python's {type(msg).__name__} differs from {name}")
    return post, lst, checks


def make_channel(args, aio):
    target = f"{args.host}:{args.port}"
    options = [("grpc.max_receive_message_length", 128 << 20)]
    mod = grpc.aio if aio else grpc
    if args.tls:
        with open(args.ca, "rb") as fh:
            creds = grpc.ssl_channel_credentials(root_certificates=fh.read())
        options.append(("grpc.ssl_target_name_override", args.server_name))
        return mod.secure_channel(target, creds, options=options)
    return mod.insecure_channel(target, options=options)


# --- sync API ---------------------------------------------------------------------------

def run_sync(args, post, lst, levels):
    channel = make_channel(args, aio=False)
    stub = service_pb2_grpc.V2Stub(channel)
    call_post = lambda: len(stub.PostAnnotations(post, metadata=METADATA).annotations)
    call_list = lambda: len(stub.ListAnnotations(lst, metadata=METADATA).annotations)
    phases, checks = {}, []
    for name, fn, expected in (("PostAnnotations", call_post, 1), ("ListAnnotations", call_list, 20)):
        try:
            n = fn()
            if n != expected:
                checks.append(f"{name}: decoded {n} annotations, expected {expected}")
        except grpc.RpcError as e:
            checks.append(f"{name} failed: {e.code()} {e.details()}")
    if checks:
        return phases, checks

    def sequential(fn, seconds, keep):
        lat = [] if keep else None
        calls = errors = 0
        first_error = None
        s0, c0 = cpu_other(args.server_pid), cpu_self()
        start = now = time.perf_counter_ns()
        end = start + int(seconds * 1e9)
        while now < end and calls < args.max_samples:
            try:
                fn()
                done = time.perf_counter_ns()
                if keep:
                    lat.append((done - now) / 1000)
                calls += 1
                now = done
            except grpc.RpcError as e:
                errors += 1
                first_error = first_error or f"{e.code()} {e.details()}"
                time.sleep(0.001)  # no hot loop on a dead connection
                now = time.perf_counter_ns()
        cpu = cpu_self() - c0
        s1 = cpu_other(args.server_pid)
        return phase_json(1, calls, errors, (now - start) / 1e9, cpu,
                          None if s0 is None or s1 is None else s1 - s0, lat, first_error)

    if args.warmup > 0:
        sequential(call_post, args.warmup / 2, False)
        sequential(call_list, args.warmup / 2, False)
    if runs(args, "lat_post"):
        log("grpcio: lat_post")
        phases["lat_post"] = sequential(call_post, args.latency_seconds, True)
    if runs(args, "lat_list"):
        log("grpcio: lat_list")
        phases["lat_list"] = sequential(call_list, args.latency_seconds, True)

    future_method = stub.PostAnnotations.future
    for level in levels:
        if not runs(args, f"thr_{level}"):
            continue
        log(f"grpcio: thr_{level}")
        if level == 1 and args.api == "best":
            sequential(call_post, args.warmup, False)
            phases["thr_1"] = sequential(call_post, args.seconds, False)
            continue
        state = {"calls": 0, "errors": 0, "first_error": None, "live": level}
        lock = threading.Lock()
        finished = threading.Event()
        stop_at = time.monotonic() + args.warmup + args.seconds

        def on_done(fut):
            try:
                if len(fut.result().annotations) != 1:
                    raise RuntimeError("bad response")
                ok = True
            except Exception as e:  # noqa: BLE001
                ok = False
                err = str(e)
            with lock:
                if ok:
                    state["calls"] += 1
                else:
                    state["errors"] += 1
                    state["first_error"] = state["first_error"] or err
                if time.monotonic() >= stop_at:
                    state["live"] -= 1
                    if state["live"] == 0:
                        finished.set()
                    return
            future_method(post, metadata=METADATA).add_done_callback(on_done)

        for _ in range(level):
            future_method(post, metadata=METADATA).add_done_callback(on_done)
        time.sleep(args.warmup)
        with lock:
            n0, e0 = state["calls"], state["errors"]
        c0, s0, t0 = cpu_self(), cpu_other(args.server_pid), time.monotonic()
        time.sleep(max(0.0, stop_at - t0))
        with lock:
            n1, e1 = state["calls"], state["errors"]
        c1, s1, t1 = cpu_self(), cpu_other(args.server_pid), time.monotonic()
        finished.wait(30)
        phases[f"thr_{level}"] = phase_json(level, n1 - n0, e1 - e0, t1 - t0, c1 - c0,
                                            None if s0 is None or s1 is None else s1 - s0,
                                            first_error=state["first_error"])
    channel.close()
    return phases, checks


# --- aio API ----------------------------------------------------------------------------

def run_aio(args, post, lst, levels, latency=True):
    import asyncio

    async def main():
        channel = make_channel(args, aio=True)
        stub = service_pb2_grpc.V2Stub(channel)

        async def call_post():
            return len((await stub.PostAnnotations(post, metadata=METADATA)).annotations)

        async def call_list():
            return len((await stub.ListAnnotations(lst, metadata=METADATA)).annotations)

        phases, checks = {}, []
        for name, fn, expected in (("PostAnnotations", call_post, 1), ("ListAnnotations", call_list, 20)):
            try:
                n = await fn()
                if n != expected:
                    checks.append(f"{name}: decoded {n} annotations, expected {expected}")
            except grpc.RpcError as e:
                checks.append(f"{name} failed: {e.code()} {e.details()}")
        if checks:
            return phases, checks

        async def sequential(fn, seconds, keep):
            lat = [] if keep else None
            calls = errors = 0
            first_error = None
            s0, c0 = cpu_other(args.server_pid), cpu_self()
            start = now = time.perf_counter_ns()
            end = start + int(seconds * 1e9)
            while now < end and calls < args.max_samples:
                try:
                    await fn()
                    done = time.perf_counter_ns()
                    if keep:
                        lat.append((done - now) / 1000)
                    calls += 1
                    now = done
                except grpc.RpcError as e:
                    errors += 1
                    first_error = first_error or f"{e.code()} {e.details()}"
                    await asyncio.sleep(0.001)
                    now = time.perf_counter_ns()
            cpu = cpu_self() - c0
            s1 = cpu_other(args.server_pid)
            return phase_json(1, calls, errors, (now - start) / 1e9, cpu,
                              None if s0 is None or s1 is None else s1 - s0, lat, first_error)

        if args.warmup > 0:
            await sequential(call_post, args.warmup / 2, False)
            await sequential(call_list, args.warmup / 2, False)
        if latency and runs(args, "lat_post"):
            log("grpcio: lat_post")
            phases["lat_post"] = await sequential(call_post, args.latency_seconds, True)
        if latency and runs(args, "lat_list"):
            log("grpcio: lat_list")
            phases["lat_list"] = await sequential(call_list, args.latency_seconds, True)
        for level in levels:
            if not runs(args, f"thr_{level}"):
                continue
            log(f"grpcio: thr_{level}")
            state = {"calls": 0, "errors": 0, "first_error": None}
            stop_at = time.monotonic() + args.warmup + args.seconds

            async def worker():
                while time.monotonic() < stop_at:
                    try:
                        await call_post()
                        state["calls"] += 1
                    except grpc.RpcError as e:
                        state["errors"] += 1
                        state["first_error"] = state["first_error"] or f"{e.code()} {e.details()}"
                        await asyncio.sleep(0.001)

            tasks = [asyncio.ensure_future(worker()) for _ in range(level)]
            await asyncio.sleep(args.warmup)
            n0, e0 = state["calls"], state["errors"]
            c0, s0, t0 = cpu_self(), cpu_other(args.server_pid), time.monotonic()
            await asyncio.sleep(max(0.0, stop_at - t0))
            n1, e1 = state["calls"], state["errors"]
            c1, s1, t1 = cpu_self(), cpu_other(args.server_pid), time.monotonic()
            await asyncio.gather(*tasks)
            phases[f"thr_{level}"] = phase_json(level, n1 - n0, e1 - e0, t1 - t0, c1 - c0,
                                                None if s0 is None or s1 is None else s1 - s0,
                                                first_error=state["first_error"])
        await channel.close()
        return phases, checks

    return asyncio.run(main())


def runs(args, phase):
    return not args.only or phase in args.only


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--tls", action="store_true")
    ap.add_argument("--ca")
    ap.add_argument("--server-name", default="localhost")
    ap.add_argument("--payload-dir", required=True)
    ap.add_argument("--server-pid", type=int)
    ap.add_argument("--api", choices=("best", "sync", "aio"), default="best")
    ap.add_argument("--warmup", type=float, default=1.0)
    ap.add_argument("--latency-seconds", type=float, default=3.0)
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--levels", default="1,16,64,256")
    ap.add_argument("--max-samples", type=int, default=200_000)
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    args.levels = [int(x) for x in args.levels.split(",") if x]
    args.only = set(x for x in args.only.split(",") if x)

    post, lst, checks = requests(args.payload_dir)
    if args.api == "sync":
        phases, call_checks = run_sync(args, post, lst, args.levels)
    elif args.api == "aio":
        phases, call_checks = run_aio(args, post, lst, args.levels)
    else:
        phases, call_checks = run_sync(args, post, lst, [n for n in args.levels if n == 1])
        more = [n for n in args.levels if n > 1 and runs(args, f"thr_{n}")]
        if more and not call_checks:
            aio_phases, aio_checks = run_aio(args, post, lst, more, latency=False)
            phases.update(aio_phases)
            call_checks += aio_checks
    out = {"client": "grpcio", "transport": "tls" if args.tls else "h2c", "phases": phases,
           "checks": checks + call_checks,
           "info": {"api": args.api, "grpcio": grpc.__version__}}
    print("#json " + json.dumps(out, sort_keys=True), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
