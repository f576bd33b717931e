#!/usr/bin/env python3
"""A TLS server that completes the handshake (ALPN h2 or http/1.1) and hangs up at once.

After the handshake it reads up to --read-bytes of what the client sends (default 0: nothing)
and closes (FIN). The client's connection is then half-closed; the kernel answers its next bytes
with a reset, and a write after that reset fails with EPIPE, which raises SIGPIPE unless the
write is made with MSG_NOSIGNAL. (A reset sent first, with SO_LINGER 0, would fail the write with
ECONNRESET, which raises nothing.) What load balancers and crashing servers do to clients in
mid-write.

  tls_hangup_server.py --tls CERT KEY [--read-bytes N] [--max-seconds N]

Follows the peer contract of peer_common.py (PORT line, stops on SIGTERM, stdin EOF, time).
"""
from __future__ import annotations

import argparse
import socket
import ssl

from peer_common import Lifecycle, add_common_args, log, serve_each_connection, stdout_line


def hang_up(sock: socket.socket, context: ssl.SSLContext, read_bytes: int) -> None:
    sock.settimeout(5)
    tls = context.wrap_socket(sock, server_side=True)
    remaining = read_bytes
    while remaining > 0:
        chunk = tls.recv(min(remaining, 16384))
        if not chunk:
            break
        remaining -= len(chunk)
    tls.close()  # wrap_socket moved the descriptor into `tls`


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_args(parser)
    parser.add_argument("--read-bytes", type=int, default=0)
    args = parser.parse_args()
    if not args.tls:
        parser.error("--tls CERT KEY is required")
    life = Lifecycle(args.max_seconds, watch_stdin=not args.no_stdin_watch)
    life.install()

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*args.tls)
    context.set_alpn_protocols(["h2", "http/1.1"])

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    connections = 0

    def handle(sock: socket.socket) -> None:
        nonlocal connections
        connections += 1
        hang_up(sock, context, args.read_bytes)

    serve_each_connection(listener, life, handle)
    stdout_line(f"PORT {listener.getsockname()[1]}")
    life.wait()
    log(f"{connections} connections hung up")
    listener.close()


if __name__ == "__main__":
    main()
