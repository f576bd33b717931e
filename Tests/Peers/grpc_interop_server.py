#!/usr/bin/env python3
"""A grpcio server for the unary gRPC interop cases, on raw bytes (generic handlers, no protobuf).

Service `interop.Test` (paths `/interop.Test/<Method>`):
  EmptyCall  -> b"".
  UnaryCall  -> request length 271828: 314159 zero bytes; otherwise echoes the request bytes.
  Status     -> request JSON {"code": int, "message": str}: aborts with exactly that status.
  Sleep      -> request JSON {"ms": int}: sleeps (gives up at once when the call is cancelled
                or its deadline passes), then b"ok".
  Sized      -> request JSON {"bytes": int}: that many bytes, byte i = i % 251.
  Metadata   -> JSON object of the invocation metadata grpcio exposes (see README.md).
Every method echoes request metadata `x-grpc-test-echo-initial` as initial (response header)
metadata and `x-grpc-test-echo-trailing-bin` as trailing metadata (binary), as in the grpc
interop `custom_metadata` case. Any other method/service: grpcio's own UNIMPLEMENTED.

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

from peer_common import (  # noqa: E402
    Lifecycle, add_common_args, hard_exit, log, metadata_to_json, read_file_bytes, stdout_line,
)

SERVICE = "interop.Test"
ECHO_INITIAL = "x-grpc-test-echo-initial"
ECHO_TRAILING = "x-grpc-test-echo-trailing-bin"
LARGE_REQUEST = 271828
LARGE_RESPONSE = 314159
MIB = 1024 * 1024

_CODES = {c.value[0]: c for c in grpc.StatusCode}
_PATTERN = bytes(range(251))


def _echo_metadata(context) -> None:
    initial = []
    trailing = []
    for key, value in context.invocation_metadata():
        if key == ECHO_INITIAL:
            initial.append((key, value))
        elif key == ECHO_TRAILING:
            trailing.append((key, value))  # bytes (grpcio base64-decodes -bin values)
    if initial:
        context.send_initial_metadata(tuple(initial))
    if trailing:
        context.set_trailing_metadata(tuple(trailing))


def _json_request(request: bytes, context) -> dict:
    try:
        obj = json.loads(request.decode("utf-8"))
        if not isinstance(obj, dict):
            raise ValueError("not a JSON object")
        return obj
    except Exception as exc:  # a malformed test request is the test's bug: say so clearly
        context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"bad JSON request: {exc}")
        raise  # unreachable: abort raises


def empty_call(request: bytes, context) -> bytes:
    _echo_metadata(context)
    return b""


def unary_call(request: bytes, context) -> bytes:
    _echo_metadata(context)
    if len(request) == LARGE_REQUEST:
        return bytes(LARGE_RESPONSE)
    return request


def status_call(request: bytes, context) -> bytes:
    _echo_metadata(context)
    obj = _json_request(request, context)
    code_num = int(obj.get("code", 0))
    message = obj.get("message", "")
    code = _CODES.get(code_num)
    if code is None:
        context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"no such status code {code_num}")
    if code is grpc.StatusCode.OK:
        # context.abort refuses OK; an OK status with a message is still expressible.
        context.set_code(code)
        context.set_details(message)
        return b""
    context.abort(code, message)
    return b""  # unreachable


def sleep_call(request: bytes, context) -> bytes:
    _echo_metadata(context)
    obj = _json_request(request, context)
    ms = float(obj.get("ms", 0))
    end = time.monotonic() + ms / 1000.0
    # Woken at once when the RPC terminates (cancelled, deadline): add_callback runs on
    # termination; is_active() is checked every 100 ms as well, without busy-polling (1,000
    # sleeping calls must not eat the GIL).
    terminated = threading.Event()
    context.add_callback(terminated.set)
    while True:
        if terminated.is_set() or not context.is_active():
            log(f"Sleep({ms:g} ms): call no longer active (cancelled / deadline), giving up")
            return b""
        remaining = end - time.monotonic()
        if remaining <= 0:
            break
        terminated.wait(min(remaining, 0.1))
    return b"ok"


def sized_call(request: bytes, context) -> bytes:
    _echo_metadata(context)
    obj = _json_request(request, context)
    n = int(obj.get("bytes", 0))
    if n < 0:
        context.abort(grpc.StatusCode.INVALID_ARGUMENT, "bytes must be >= 0")
    reps, rest = divmod(n, len(_PATTERN))
    return _PATTERN * reps + _PATTERN[:rest]


def metadata_call(request: bytes, context) -> bytes:
    _echo_metadata(context)
    out = metadata_to_json(context.invocation_metadata())
    # Not metadata, so given under keys no metadata key can take (':' is not allowed in
    # header names except for pseudo-headers, which grpcio never exposes).
    remaining = context.time_remaining()
    if remaining is not None:
        out[":time-remaining-ms"] = round(remaining * 1000.0, 3)
    out[":peer"] = context.peer()
    return json.dumps(out, ensure_ascii=False, sort_keys=True).encode("utf-8")


def _handler(fn):
    # No (de)serializers: grpcio hands the raw request bytes in and sends the bytes returned.
    return grpc.unary_unary_rpc_method_handler(fn, request_deserializer=None,
                                               response_serializer=None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_args(parser)
    parser.add_argument("--workers", type=int, default=1100,
                        help="handler threads (default %(default)s: 1,000 concurrent Sleep calls "
                             "run at once; threads are created lazily)")
    parser.add_argument("--permit-pings", action="store_true",
                        help="accept client PINGs at any rate, with or without calls (default: "
                             "grpcio's policy - idle PINGs more often than every 5 min earn "
                             "strikes, then GOAWAY ENHANCE_YOUR_CALM 'too_many_pings')")
    parser.add_argument("--max-message-bytes", type=int, default=64 * MIB,
                        help="grpc.max_receive/send_message_length (default 64 MiB)")
    args = parser.parse_args()

    life = Lifecycle(args.max_seconds, watch_stdin=not args.no_stdin_watch)
    life.install()

    handlers = grpc.method_handlers_generic_handler(SERVICE, {
        "EmptyCall": _handler(empty_call),
        "UnaryCall": _handler(unary_call),
        "Status": _handler(status_call),
        "Sleep": _handler(sleep_call),
        "Sized": _handler(sized_call),
        "Metadata": _handler(metadata_call),
    })
    options = [
        ("grpc.max_receive_message_length", args.max_message_bytes),
        ("grpc.max_send_message_length", args.max_message_bytes),
        ("grpc.so_reuseport", 0),
    ]
    if args.permit_pings:
        options += [
            ("grpc.keepalive_permit_without_calls", 1),
            ("grpc.http2.min_ping_interval_without_data_ms", 0),
            ("grpc.http2.max_ping_strikes", 0),
        ]
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=args.workers,
                                                    thread_name_prefix="interop"),
                         handlers=(handlers,), options=options,
                         maximum_concurrent_rpcs=None)
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
    log(f"listening on 127.0.0.1:{port} ({'TLS' if args.tls else 'h2c'}), "
        f"max {args.max_seconds:g} s")
    stdout_line(f"PORT {port}")

    reason = life.wait()
    log(f"stopping: {reason}")
    server.stop(grace=None)
    hard_exit(0)


if __name__ == "__main__":
    main()
