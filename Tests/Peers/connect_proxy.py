#!/usr/bin/env python3
"""A minimal HTTP CONNECT proxy on loopback: `CONNECT host:port HTTP/1.1` gets
`200 Connection established`, then bytes are relayed both ways until either side closes.
Only 127.0.0.1/localhost targets are allowed (403 otherwise).

Prints `PORT <n>` once listening and, on exit, `TUNNELS <k>` (the CONNECT requests granted).
See peer_common.py for the lifecycle.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from peer_common import Lifecycle, add_common_args, hard_exit, log, serve_each_connection, stdout_line  # noqa: E402

tunnels = [0]
tunnels_lock = threading.Lock()


def relay(source: socket.socket, target: socket.socket) -> None:
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            target.sendall(data)
    except OSError:
        pass
    finally:
        try:
            target.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def handle(client: socket.socket) -> None:
    head = b""
    while b"\r\n\r\n" not in head:
        data = client.recv(4096)
        if not data:
            return
        head += data
        if len(head) > 16384:
            return
    head, rest = head.split(b"\r\n\r\n", 1)
    request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
    parts = request_line.split(" ")
    if len(parts) != 3 or parts[0] != "CONNECT":
        client.sendall(b"HTTP/1.1 405 Method Not Allowed\r\ncontent-length: 0\r\n\r\n")
        return
    host, _, port = parts[1].rpartition(":")
    if host.strip("[]") not in ("127.0.0.1", "localhost", "::1"):
        client.sendall(b"HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n")
        return
    upstream = socket.create_connection((host.strip("[]"), int(port)))
    with tunnels_lock:
        tunnels[0] += 1
    client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
    if rest:
        upstream.sendall(rest)
    back = threading.Thread(target=relay, args=(upstream, client), daemon=True)
    back.start()
    relay(client, upstream)
    back.join()
    upstream.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_args(parser)
    args = parser.parse_args()
    life = Lifecycle(args.max_seconds, watch_stdin=not args.no_stdin_watch)
    life.install()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    serve_each_connection(listener, life, handle)
    stdout_line(f"PORT {listener.getsockname()[1]}")
    reason = life.wait()
    log(f"stopping: {reason}")
    with tunnels_lock:
        stdout_line(f"TUNNELS {tunnels[0]}")
    hard_exit(0)


if __name__ == "__main__":
    main()
