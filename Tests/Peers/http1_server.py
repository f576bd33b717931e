#!/usr/bin/env python3
"""A raw HTTP/1.1 server on plain sockets for the REST client's edge cases.

Every response body is the JSON `{"status":{"code":10000,"description":"Ok"},"annotations":[]}`
unless the mode says otherwise; requests are read whole (Content-Length bodies).

--mode (one of):
  chunked        Transfer-Encoding: chunked, the body in 7-byte chunks plus a trailer field
  until-close    no Content-Length: the body ends when the server closes the connection
  close-idle     answers with keep-alive, then closes the connection 50 ms after each answer
                 (a client that reuses it must notice, or retry the request once)
  drop-first     closes the connection without answering the first request of each
                 connection after the first one (the keep-alive race); answers the rest
  drop-second    answers the first request of each connection, closes it without answering
                 the second (a request lost with a reused connection; resent, maybe processed)
  garbage        answers 'HTTP/1.1 2x0 OK' (a malformed status line)
  huge-header    a response head larger than 64 KiB
  slow           waits --delay-ms before answering
  interim        a '100 Continue' interim response, then the real one

Prints `PORT <n>` once listening and `CONNECTIONS <k>` on exit; see peer_common.py for the
lifecycle.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_common import Lifecycle, add_common_args, log, stdout_line  # noqa: E402

BODY = b'{"status":{"code":10000,"description":"Ok"},"annotations":[]}'


def read_request(conn: socket.socket, buffer: bytearray) -> bool:
    """Reads one request into nothing (its bytes are dropped); False at EOF."""
    while b"\r\n\r\n" not in buffer:
        chunk = conn.recv(65536)
        if not chunk:
            return False
        buffer += chunk
    head, _, rest = bytes(buffer).partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(rest) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return False
        rest += chunk
    buffer[:] = rest[length:]
    return True


def response(mode: str) -> bytes:
    if mode == "chunked":
        chunks = b"".join(b"%x\r\n%s\r\n" % (len(BODY[i:i + 7]), BODY[i:i + 7]) for i in range(0, len(BODY), 7))
        return (b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
                + chunks + b"0\r\nx-trailer: yes\r\n\r\n")
    if mode == "until-close":
        return b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n" + BODY
    if mode == "garbage":
        return b"HTTP/1.1 2x0 OK\r\ncontent-length: 0\r\n\r\n"
    if mode == "huge-header":
        return b"HTTP/1.1 200 OK\r\nx-big: " + b"a" * (70 << 10) + b"\r\ncontent-length: 0\r\n\r\n"
    interim = b"HTTP/1.1 100 Continue\r\n\r\n" if mode == "interim" else b""
    return interim + b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n%s" % (len(BODY), BODY)


def serve(conn: socket.socket, index: int, args) -> None:
    buffer = bytearray()
    answered = 0
    with conn:
        while read_request(conn, buffer):
            if args.mode == "drop-second" and answered == 1:
                log("dropping the second request of connection", index)
                return
            if args.mode == "drop-first" and index > 0 and answered == 0:
                log("dropping the first request of connection", index)
                return
            if args.mode == "slow":
                time.sleep(args.delay_ms / 1000)
            conn.sendall(response(args.mode))
            answered += 1
            if args.mode in ("until-close", "garbage", "huge-header"):
                return
            if args.mode == "close-idle":
                time.sleep(0.05)
                return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_common_args(parser)
    parser.add_argument("--mode", default="chunked")
    parser.add_argument("--delay-ms", type=int, default=2000)
    args = parser.parse_args()
    lifecycle = Lifecycle(args.max_seconds, watch_stdin=not args.no_stdin_watch)
    lifecycle.install()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    connections = [0]

    def accept_loop() -> None:
        while not lifecycle.stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            index = connections[0]
            connections[0] += 1
            threading.Thread(target=serve, args=(conn, index, args), daemon=True).start()

    threading.Thread(target=accept_loop, daemon=True).start()
    stdout_line(f"PORT {listener.getsockname()[1]}")
    lifecycle.wait()
    stdout_line(f"CONNECTIONS {connections[0]}")
    listener.close()


if __name__ == "__main__":
    main()
