#!/usr/bin/env python3
"""A grpcio server for server-streaming calls, on raw bytes (generic handlers, no protobuf).

Service `stream.Test` (paths `/stream.Test/<Method>`); requests are JSON objects:
  Count  (server streaming) {"id": str, "count": N, "size": S, "sizes": [..], "interval_ms": I,
         "status": CODE, "message": MSG}: N messages of S bytes (or one per entry of `sizes`),
         message i starting with i as 4 big-endian bytes, then bytes i % 251; `interval_ms`
         between messages; then status CODE (default 0) with MSG. Stops at once when the call
         ends (cancelled, deadline).
  Stats  (unary) {"id": str, "wait_ended_ms": T}: JSON {"sent": k, "sent_bytes": b, "ended":
         bool, "cancelled": bool, "completed": bool} for the Count call with that id; with
         `wait_ended_ms`, first waits up to T ms for that call to end (cancellation seen).
         `sent` counts the messages grpcio accepted (the generator resumed after their yield).
  Echo   (unary) echoes the request bytes.

Prints `PORT <n>` once listening; see peer_common.py for the lifecycle.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from concurrent import futures

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import grpc  # noqa: E402

from peer_common import Lifecycle, add_common_args, hard_exit, log, read_file_bytes, stdout_line  # noqa: E402

SERVICE = "stream.Test"
MIB = 1024 * 1024
_CODES = {c.value[0]: c for c in grpc.StatusCode}
_PATTERN = bytes(range(251))


class CallRecord:
    def __init__(self) -> None:
        self.sent = 0
        self.sent_bytes = 0
        self.ended = threading.Event()
        self.cancelled = False
        self.completed = False

    def to_json(self) -> dict:
        return {"sent": self.sent, "sent_bytes": self.sent_bytes, "ended": self.ended.is_set(),
                "cancelled": self.cancelled, "completed": self.completed}


records: dict[str, CallRecord] = {}
records_lock = threading.Lock()


def record_for(call_id: str) -> CallRecord:
    with records_lock:
        if call_id not in records:
            records[call_id] = CallRecord()
        return records[call_id]


def _message(index: int, size: int) -> bytes:
    head = index.to_bytes(4, "big")[:size]
    rest = max(0, size - len(head))
    fill = bytes([index % 251]) * rest
    return head + fill


def count_call(request: bytes, context):
    obj = json.loads(request.decode("utf-8"))
    record = record_for(str(obj.get("id", "")))
    sizes = obj.get("sizes")
    if sizes is None:
        sizes = [int(obj.get("size", 8))] * int(obj.get("count", 0))
    interval = float(obj.get("interval_ms", 0)) / 1000.0
    terminated = threading.Event()

    def on_end() -> None:
        # Runs when the RPC terminates, normally or not.
        if not record.completed:
            record.cancelled = True
        record.ended.set()
        terminated.set()

    context.add_callback(on_end)
    for index, size in enumerate(sizes):
        if terminated.is_set() or not context.is_active():
            log(f"Count {obj.get('id')}: call ended after {record.sent} messages")
            return
        if index > 0 and interval > 0 and terminated.wait(interval):
            return
        message = _message(index, int(size))
        yield message
        record.sent += 1
        record.sent_bytes += len(message) + 5
    code = _CODES.get(int(obj.get("status", 0)), grpc.StatusCode.UNKNOWN)
    if code is not grpc.StatusCode.OK:
        record.completed = True
        context.abort(code, obj.get("message", ""))
    record.completed = True


def stats_call(request: bytes, context) -> bytes:
    obj = json.loads(request.decode("utf-8"))
    record = record_for(str(obj.get("id", "")))
    wait_ms = obj.get("wait_ended_ms")
    if wait_ms:
        record.ended.wait(float(wait_ms) / 1000.0)
    return json.dumps(record.to_json()).encode("utf-8")


def echo_call(request: bytes, context) -> bytes:
    return request


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_args(parser)
    parser.add_argument("--workers", type=int, default=300, help="handler threads (default %(default)s)")
    args = parser.parse_args()

    life = Lifecycle(args.max_seconds, watch_stdin=not args.no_stdin_watch)
    life.install()

    handlers = grpc.method_handlers_generic_handler(SERVICE, {
        "Count": grpc.unary_stream_rpc_method_handler(count_call),
        "Stats": grpc.unary_unary_rpc_method_handler(stats_call),
        "Echo": grpc.unary_unary_rpc_method_handler(echo_call),
    })
    options = [
        ("grpc.max_receive_message_length", 64 * MIB),
        ("grpc.max_send_message_length", 64 * MIB),
        ("grpc.so_reuseport", 0),
    ]
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=args.workers, thread_name_prefix="stream"),
                         handlers=(handlers,), options=options, maximum_concurrent_rpcs=None)
    address = "127.0.0.1:0"
    if args.tls:
        cert, key = args.tls
        creds = grpc.ssl_server_credentials([(read_file_bytes(key), read_file_bytes(cert))])
        port = server.add_secure_port(address, creds)
    else:
        port = server.add_insecure_port(address)
    if not port:
        log("could not bind 127.0.0.1:0")
        hard_exit(2)
    server.start()
    log(f"listening on 127.0.0.1:{port} ({'TLS' if args.tls else 'h2c'})")
    stdout_line(f"PORT {port}")
    reason = life.wait()
    log(f"stopping: {reason}")
    server.stop(grace=None)
    hard_exit(0)


if __name__ == "__main__":
    main()
