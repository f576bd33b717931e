#!/usr/bin/env python3
"""An HTTP/2 TLS server whose SETTINGS travel with the last message of the TLS handshake.

TLS 1.2, handshake run through memory BIOs: the server's final flight (ChangeCipherSpec,
Finished) and its HTTP/2 SETTINGS leave in one write, so a client with TLS read-ahead takes
the SETTINGS off the socket while finishing its handshake. The server then stays silent for
--quiet seconds (no SETTINGS ACK, nothing) before it reads the client and answers every gRPC
call with an echo. A client that polls the socket for SETTINGS it already holds waits out the
silence (or its connect timeout).

  h2_early_settings_server.py --tls CERT KEY [--quiet SECONDS] [--max-seconds N]

Follows the peer contract of peer_common.py (PORT line, stops on SIGTERM, stdin EOF, time).
"""
from __future__ import annotations

import argparse
import socket
import ssl
import struct
import threading
import time

import h2.config
import h2.connection
import h2.events

from peer_common import Lifecycle, add_common_args, log, stdout_line


def handshake(sock: socket.socket, context: ssl.SSLContext) -> tuple[ssl.SSLObject, ssl.MemoryBIO, ssl.MemoryBIO]:
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = context.wrap_bio(incoming, outgoing, server_side=True)
    while True:
        try:
            tls.do_handshake()
            return tls, incoming, outgoing
        except ssl.SSLWantReadError:
            pending = outgoing.read()
            if pending:
                sock.sendall(pending)
            data = sock.recv(65536)
            if not data:
                raise ConnectionError("the client closed during the handshake")
            incoming.write(data)


def serve(sock: socket.socket, context: ssl.SSLContext, quiet: float, life: Lifecycle) -> None:
    tls, incoming, outgoing = handshake(sock, context)
    conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False, header_encoding=None))
    conn.initiate_connection()
    tls.write(conn.data_to_send())
    sock.sendall(outgoing.read())  # Finished and SETTINGS in one segment
    log(f"handshake done ({tls.version()}), SETTINGS sent with it; quiet for {quiet} s")
    time.sleep(quiet)
    sock.settimeout(0.25)
    bodies: dict[int, bytes] = {}
    while not life.stop.is_set():
        try:
            data = sock.recv(65536)
        except socket.timeout:
            continue
        if not data:
            return
        incoming.write(data)
        plain = b""
        while True:
            try:
                plain += tls.read(65536)
            except ssl.SSLWantReadError:
                break
        for event in conn.receive_data(plain):
            if isinstance(event, h2.events.DataReceived):
                bodies[event.stream_id] = bodies.get(event.stream_id, b"") + event.data
                conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
            elif isinstance(event, h2.events.StreamEnded):
                body = bodies.pop(event.stream_id, b"")
                message = body[5:] if len(body) >= 5 else b""
                conn.send_headers(event.stream_id, [(b":status", b"200"), (b"content-type", b"application/grpc")])
                conn.send_data(event.stream_id, b"\0" + struct.pack(">I", len(message)) + message)
                conn.send_headers(event.stream_id, [(b"grpc-status", b"0")], end_stream=True)
        tls.write(conn.data_to_send())
        pending = outgoing.read()
        if pending:
            sock.sendall(pending)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_args(parser)
    parser.add_argument("--quiet", type=float, default=3.0, help="seconds of silence after the handshake")
    args = parser.parse_args()
    if not args.tls:
        parser.error("--tls CERT KEY is required")
    life = Lifecycle(args.max_seconds, watch_stdin=not args.no_stdin_watch)
    life.install()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = context.maximum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(args.tls[0], args.tls[1])
    context.set_alpn_protocols(["h2"])

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.25)

    def accept_loop() -> None:
        while not life.stop.is_set():
            try:
                sock, _ = listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return

            def run(sock: socket.socket = sock) -> None:
                try:
                    serve(sock, context, args.quiet, life)
                except (OSError, ssl.SSLError, ConnectionError) as exc:
                    log(f"connection ended: {exc}")
                finally:
                    sock.close()

            threading.Thread(target=run, daemon=True).start()

    threading.Thread(target=accept_loop, daemon=True).start()
    stdout_line(f"PORT {listener.getsockname()[1]}")
    life.wait()
    listener.close()


if __name__ == "__main__":
    main()
